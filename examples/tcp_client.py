#!/usr/bin/env python3
"""The tutorial's TCP client, in Python 3.

From "Learn Python from scratch, eighth week: network programming basics (socket)". It connects,
prints the server's welcome, sends b'Michael', b'Tracy' and b'Sarah' one at a time, printing each
answer, then sends b'exit' and closes. Like the tutorial, it sends no newline: each send is one
message because the server answers each recv(1024) before the next send.

    python3 tcp_client.py [HOST] [PORT]        (default 127.0.0.1 9999)
    socket-tui serve                            a server it can talk to (a message without a
                                                newline is taken after 150 ms of quiet)
"""
import socket
import sys

host = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(10)
s.connect((host, port))
print(s.recv(1024).decode('utf-8'))
for name in [b'Michael', b'Tracy', b'Sarah']:
    s.send(name)
    print(s.recv(1024).decode('utf-8'))
s.send(b'exit')
s.close()
