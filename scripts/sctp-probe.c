/* Exit 0 when this kernel can create an SCTP socket, 1 otherwise (with the reason). */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0) {
		printf("no kernel SCTP here: socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP): %s\n",
		       strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
