// The kernel's floor: one recvfrom and one sendto per datagram, no batching,
// no DNS work (each datagram comes back with QR set). Compiled and measured by
// bench/run.mjs next to the Node echo, Hops and Unbound.
//
//   echo-c ADDRESS PORT     (loopback only)

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: echo-c ADDRESS PORT\n");
    return 2;
  }
  struct sockaddr_in self = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2])) };
  if (inet_pton(AF_INET, argv[1], &self.sin_addr) != 1 || (ntohl(self.sin_addr.s_addr) >> 24) != 127) {
    fprintf(stderr, "echo-c: %s: loopback IPv4 addresses only\n", argv[1]);
    return 2;
  }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&self, sizeof self) < 0) {
    perror("echo-c");
    return 1;
  }
  unsigned char buf[4096];
  for (;;) {
    struct sockaddr_in from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
    if (n < 12) continue;
    buf[2] |= 0x80;
    sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen);
  }
}
