FROM alpine
RUN apk add \
    # a comment inside
    curl \

    git
RUN echo done \
