# escape=\
# ESCAPE=`
FROM alpine
# syntax=late/ignored
RUN echo hi
