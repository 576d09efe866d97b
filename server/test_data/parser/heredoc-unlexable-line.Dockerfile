FROM alpine
RUN <<EOF cat # it's
not a heredoc body
EOF
RUN <<EOF echo ${x
still not
EOF
RUN <<EOF echo ${x y}
EOF
RUN <<EOF echo "it's" ${x:-'a b'} \
    '#' it\'s
a heredoc body
EOF
