#!/usr/bin/env python3
"""The tutorial's TCP server, in Python 3: one thread per client.

From "Learn Python from scratch, eighth week: network programming basics (socket)", the
tutorial socket-tui grew from. It binds, listens (backlog 5), and for each connection starts a
thread that sends b'Welcome!', then answers each recv(1024) with b'Hello, <data>!' until the
client sends b'exit' or closes. The tutorial sleeps a second before each answer; --no-sleep
drops that.

    python3 tcp_server.py [HOST] [PORT] [--no-sleep]      (default 127.0.0.1 9999)
    socket-tui connect 127.0.0.1:9999                      talk to it
"""
import socket
import sys
import threading
import time

words = [arg for arg in sys.argv[1:] if not arg.startswith('--')]
host = words[0] if len(words) > 0 else '127.0.0.1'
port = int(words[1]) if len(words) > 1 else 9999
pause = 0 if '--no-sleep' in sys.argv else 1


def serve(conn, addr):
    print('Accept new connection from %s:%s...' % addr, flush=True)
    conn.send(b'Welcome!')
    while True:
        data = conn.recv(1024)
        time.sleep(pause)
        if not data or data == b'exit':
            break
        conn.send(b'Hello, ' + data + b'!')
    conn.close()
    print('Connection from %s:%s closed.' % addr, flush=True)


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(5)
print('Waiting for connection on %s:%s...' % s.getsockname(), flush=True)
while True:
    conn, addr = s.accept()
    threading.Thread(target=serve, args=(conn, addr), daemon=True).start()
