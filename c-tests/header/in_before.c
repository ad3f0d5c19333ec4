/* The usual order: <netinet/in.h>, then <netinet/sctp.h>. */
#include <netinet/in.h>
#include <netinet/sctp.h>
int main(void) { return IPPROTO_SCTP == 132 && SOL_SCTP == 132 ? 0 : 1; }
