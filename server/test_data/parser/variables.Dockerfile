ARG BASE=alpine
ARG TAG
FROM ${BASE}:${TAG:-3.20} AS base
ARG USER=app
ENV HOME=/home/$USER PATH=${PATH}:/opt/bin
RUN echo "$HOME" '$NOT' \$ESCAPED ${HOME%/*} ${X/a/b}
CMD echo $HOME
COPY --from=base /a /b/$USER/
WORKDIR ${HOME}/src
