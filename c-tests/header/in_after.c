/* <netinet/sctp.h> before <netinet/in.h>. */
#include <netinet/sctp.h>
#include <netinet/in.h>
int main(void) { return IPPROTO_SCTP == 132 ? 0 : 1; }
