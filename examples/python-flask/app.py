"""A minimal Flask service, served by gunicorn in the Dockerfile next to it."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/health")
def health():
    return "", 204


@app.get("/hello")
def hello():
    name = request.args.get("name", "world")
    return jsonify(greeting=f"Hello, {name}!")
