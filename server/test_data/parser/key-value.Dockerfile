FROM alpine
ENV A=1 B="two words" C=three\ words
ENV LEGACY value with spaces
LABEL org.opencontainers.image.title="demo" version=1
ARG NAME NAME2=default NAME3="quoted value"
ENV PATH
ENV K=V broken
