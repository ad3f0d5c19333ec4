/* Only <sys/socket.h> and <netinet/sctp.h>: everything an SCTP caller names is there. */
#include <sys/socket.h>
#include <netinet/sctp.h>
int main(void)
{
	struct sctp_sndrcvinfo si = { .sinfo_flags = SCTP_UNORDERED | SCTP_EOF };
	sctp_assoc_t id = SCTP_FUTURE_ASSOC;
	struct sctp_sendv_spa spa = { .sendv_flags = SCTP_SEND_SNDINFO_VALID };
	struct sctp_recvv_rn rn;
	(void)rn;
	return (IPPROTO_SCTP == 132 && SOL_SCTP == 132 && si.sinfo_flags && id == 0 &&
		spa.sendv_flags == 1 && SCTP_SENDV_SPA == 4 && SCTP_RECVV_RN == 3 &&
		sctp_peeloff != 0 && sctp_send != 0 && sctp_connectx != 0 && sctp_sendv != 0) ? 0 : 1;
}
