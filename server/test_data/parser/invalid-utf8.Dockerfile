FROM alpine
LABEL owner="Jörg" \
      latin1="café"
RUN echo ÿþ done
