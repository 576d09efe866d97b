FROM alpine
CMD ["echo", "a\u00e9"]
ENTRYPOINT [ "sh" , "-c" ]
CMD ['single', "quotes"]
RUN [ "unterminated"
CMD ["a", 1]
SHELL ["/bin/sh", "-c"]
CMD []
