# syntax=docker/dockerfile:1
# escape=`
# check=skip=JSONArgsRecommended

FROM mcr.microsoft.com/windows/servercore AS base
RUN Write-Host `
    hello `
    world
WORKDIR C:\app
