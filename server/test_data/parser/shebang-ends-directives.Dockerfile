#!/usr/bin/env -S docker build -f
# escape=`
# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended
# syntax=again
# check=error=true
FROM alpine
RUN echo \
    continued
RUN echo `
