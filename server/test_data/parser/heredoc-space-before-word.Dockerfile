FROM alpine
# BuildKit's lexer makes `<<` a word of its own, and `heredocFromMatch` takes no heredoc with an
# empty word after `<<`: the lines below are instructions (unknown ones).
RUN cat << EOF > /greeting
hello
EOF
RUN cat <<- EOF
COPY << EOF /x
RUN cat <<EOF > /real
a heredoc
EOF
