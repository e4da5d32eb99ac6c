#!/usr/bin/env python3
"""The tutorial's UDP server, in Python 3: no connection, each datagram answered on its own.

From "Learn Python from scratch, eighth week: network programming basics (socket)". It binds and
answers each recvfrom(1024) with b'Hello, <data>!' sent back to the address it came from.

    python3 udp_server.py [HOST] [PORT]                 (default 127.0.0.1 9999)
    socket-tui send-udp 127.0.0.1:9999 Michael Tracy    send it datagrams
"""
import socket
import sys

host = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((host, port))
print('Bind UDP on %s:%s...' % (host, port), flush=True)
while True:
    data, addr = s.recvfrom(1024)
    print('Received from %s:%s.' % addr, flush=True)
    s.sendto(b'Hello, ' + data + b'!', addr)
