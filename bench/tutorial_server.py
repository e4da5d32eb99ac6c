#!/usr/bin/env python3
"""The tutorial's threaded TCP server (Python 3), without its 1 s sleep: the bench's point of
comparison. Sends b'Welcome!', replies b'Hello, <data>!' per recv, 'exit' or EOF closes.
Prints {"port": N} once listening on 127.0.0.1 (port from the OS)."""
import json
import socket
import sys
import threading


def tcplink(sock):
    sock.send(b'Welcome!')
    while True:
        try:
            data = sock.recv(1024)
        except OSError:
            break
        if not data or data.decode('utf-8', 'replace').strip() == 'exit':
            break
        sock.send(b'Hello, ' + data.rstrip(b'\n') + b'!')
    sock.close()


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 0))
s.listen(5)  # The tutorial's backlog.
print(json.dumps({'port': s.getsockname()[1]}), flush=True)
while True:
    conn, _ = s.accept()
    threading.Thread(target=tcplink, args=(conn,), daemon=True).start()
