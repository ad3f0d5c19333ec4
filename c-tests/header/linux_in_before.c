/* The kernel's <linux/in.h> first. */
#include <linux/in.h>
#include <netinet/sctp.h>
int main(void) { return IPPROTO_SCTP == 132 ? 0 : 1; }
