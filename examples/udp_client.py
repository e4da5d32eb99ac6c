#!/usr/bin/env python3
"""The tutorial's UDP client, in Python 3: a datagram per name, and the answer to each.

From "Learn Python from scratch, eighth week: network programming basics (socket)".

    python3 udp_client.py [HOST] [PORT]        (default 127.0.0.1 9999)
    socket-tui serve                            answers on UDP 9999 too
"""
import socket
import sys

host = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9999

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for name in [b'Michael', b'Tracy', b'Sarah']:
    s.sendto(name, (host, port))
    print(s.recv(1024).decode('utf-8'))
s.close()
