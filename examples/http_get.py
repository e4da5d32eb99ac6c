#!/usr/bin/env python3
"""The tutorial's HTTP GET by hand, in Python 3: a request written on a TCP socket, read to EOF.

From "Learn Python from scratch, eighth week: network programming basics (socket)". It sends
GET PATH with Host and Connection: close, reads until the server closes, prints the head and
saves the body as it came (undecoded: a chunked body keeps its chunk sizes).

    python3 http_get.py HOST [PORT] [PATH] [OUTFILE]     (default port 80, /, page.html)
    socket-tui get http://HOST:PORT/PATH                  the same, done properly
"""
import socket
import sys

host = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'
port = int(sys.argv[2]) if len(sys.argv) > 2 else 80
path = sys.argv[3] if len(sys.argv) > 3 else '/'
out = sys.argv[4] if len(sys.argv) > 4 else 'page.html'

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((host, port))
s.send(('GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' % (path, host)).encode('ascii'))
chunks = []
while True:
    data = s.recv(1024)
    if not data:
        break
    chunks.append(data)
s.close()
head, _, body = b''.join(chunks).partition(b'\r\n\r\n')
print(head.decode('utf-8', 'replace'))
with open(out, 'wb') as f:
    f.write(body)
