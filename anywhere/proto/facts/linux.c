/* Linux's SCTP API, read off <linux/sctp.h> and the libc headers: option numbers, flags,
 * notification types, struct sizes and field offsets, printed as Rust (see ../facts.h). */
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/sctp.h>
#include "facts.h"

#ifndef SOL_SCTP
#define SOL_SCTP 132 /* <netinet/sctp.h> of lksctp defines it; <linux/sctp.h> does not */
#endif

int main(void)
{
	printf("// Generated from <linux/sctp.h> by proto/facts/linux.c. Do not edit.\n");
	C(SOL_SCTP); C(IPPROTO_SCTP);
	C(SCTP_FUTURE_ASSOC); C(SCTP_CURRENT_ASSOC); C(SCTP_ALL_ASSOC);
	/* socket options */
	C(SCTP_RTOINFO); C(SCTP_ASSOCINFO); C(SCTP_INITMSG); C(SCTP_NODELAY); C(SCTP_AUTOCLOSE);
	C(SCTP_SET_PEER_PRIMARY_ADDR); C(SCTP_PRIMARY_ADDR); C(SCTP_ADAPTATION_LAYER);
	C(SCTP_DISABLE_FRAGMENTS); C(SCTP_PEER_ADDR_PARAMS); C(SCTP_DEFAULT_SEND_PARAM);
	C(SCTP_EVENTS); C(SCTP_I_WANT_MAPPED_V4_ADDR); C(SCTP_MAXSEG); C(SCTP_STATUS);
	C(SCTP_GET_PEER_ADDR_INFO); C(SCTP_DELAYED_SACK); C(SCTP_CONTEXT);
	C(SCTP_FRAGMENT_INTERLEAVE); C(SCTP_PARTIAL_DELIVERY_POINT); C(SCTP_MAX_BURST);
	C(SCTP_AUTH_CHUNK); C(SCTP_HMAC_IDENT); C(SCTP_AUTH_KEY); C(SCTP_AUTH_ACTIVE_KEY);
	C(SCTP_AUTH_DELETE_KEY); C(SCTP_PEER_AUTH_CHUNKS); C(SCTP_LOCAL_AUTH_CHUNKS);
	C(SCTP_GET_ASSOC_NUMBER); C(SCTP_GET_ASSOC_ID_LIST); C(SCTP_AUTO_ASCONF);
	C(SCTP_PEER_ADDR_THLDS); C(SCTP_RECVRCVINFO); C(SCTP_RECVNXTINFO); C(SCTP_DEFAULT_SNDINFO);
	C(SCTP_AUTH_DEACTIVATE_KEY); C(SCTP_REUSE_PORT); C(SCTP_PEER_ADDR_THLDS_V2);
	C(SCTP_SOCKOPT_BINDX_ADD); C(SCTP_SOCKOPT_BINDX_REM); C(SCTP_SOCKOPT_PEELOFF);
	C(SCTP_SOCKOPT_CONNECTX_OLD); C(SCTP_GET_PEER_ADDRS); C(SCTP_GET_LOCAL_ADDRS);
	C(SCTP_SOCKOPT_CONNECTX); C(SCTP_SOCKOPT_CONNECTX3); C(SCTP_GET_ASSOC_STATS);
	C(SCTP_PR_SUPPORTED); C(SCTP_DEFAULT_PRINFO); C(SCTP_PR_ASSOC_STATUS);
	C(SCTP_PR_STREAM_STATUS); C(SCTP_RECONFIG_SUPPORTED); C(SCTP_ENABLE_STREAM_RESET);
	C(SCTP_RESET_STREAMS); C(SCTP_RESET_ASSOC); C(SCTP_ADD_STREAMS);
	C(SCTP_SOCKOPT_PEELOFF_FLAGS); C(SCTP_STREAM_SCHEDULER); C(SCTP_STREAM_SCHEDULER_VALUE);
	C(SCTP_INTERLEAVING_SUPPORTED); C(SCTP_SENDMSG_CONNECT); C(SCTP_EVENT);
	C(SCTP_ASCONF_SUPPORTED); C(SCTP_AUTH_SUPPORTED); C(SCTP_ECN_SUPPORTED);
	C(SCTP_EXPOSE_POTENTIALLY_FAILED_STATE); C(SCTP_REMOTE_UDP_ENCAPS_PORT);
	C(SCTP_PLPMTUD_PROBE_INTERVAL);
	/* PR-SCTP policies (sinfo_flags bits 4-5, pr_policy) */
	U(SCTP_PR_SCTP_NONE); U(SCTP_PR_SCTP_TTL); U(SCTP_PR_SCTP_RTX); U(SCTP_PR_SCTP_PRIO);
	U(SCTP_PR_SCTP_MASK);
	U(SCTP_ENABLE_RESET_STREAM_REQ); U(SCTP_ENABLE_RESET_ASSOC_REQ);
	U(SCTP_ENABLE_CHANGE_ASSOC_REQ); U(SCTP_ENABLE_STRRESET_MASK);
	U(SCTP_STREAM_RESET_INCOMING); U(SCTP_STREAM_RESET_OUTGOING);
	U(MSG_NOTIFICATION);
	/* sinfo_flags */
	U(SCTP_UNORDERED); U(SCTP_ADDR_OVER); U(SCTP_ABORT); U(SCTP_SACK_IMMEDIATELY);
	U(SCTP_SENDALL); U(SCTP_PR_SCTP_ALL); U(SCTP_NOTIFICATION); U(SCTP_EOF);
	/* cmsg types */
	C(SCTP_INIT); C(SCTP_SNDRCV); C(SCTP_SNDINFO); C(SCTP_RCVINFO); C(SCTP_NXTINFO);
	C(SCTP_PRINFO); C(SCTP_AUTHINFO); C(SCTP_DSTADDRV4); C(SCTP_DSTADDRV6);
	/* notifications */
	U(SCTP_DATA_IO_EVENT); U(SCTP_ASSOC_CHANGE); U(SCTP_PEER_ADDR_CHANGE); U(SCTP_SEND_FAILED);
	U(SCTP_REMOTE_ERROR); U(SCTP_SHUTDOWN_EVENT); U(SCTP_PARTIAL_DELIVERY_EVENT);
	U(SCTP_ADAPTATION_INDICATION); U(SCTP_AUTHENTICATION_EVENT); U(SCTP_SENDER_DRY_EVENT);
	U(SCTP_STREAM_RESET_EVENT); U(SCTP_ASSOC_RESET_EVENT); U(SCTP_STREAM_CHANGE_EVENT);
	U(SCTP_SEND_FAILED_EVENT); U(SCTP_SN_TYPE_BASE); U(SCTP_SN_TYPE_MAX);
	U(SCTP_COMM_UP); U(SCTP_COMM_LOST); U(SCTP_RESTART); U(SCTP_SHUTDOWN_COMP);
	U(SCTP_CANT_STR_ASSOC);
	U(SCTP_ADDR_AVAILABLE); U(SCTP_ADDR_UNREACHABLE); U(SCTP_ADDR_REMOVED); U(SCTP_ADDR_ADDED);
	U(SCTP_ADDR_MADE_PRIM); U(SCTP_ADDR_CONFIRMED); U(SCTP_ADDR_POTENTIALLY_FAILED);
	U(SCTP_DATA_UNSENT); U(SCTP_DATA_SENT);
	U(SCTP_PARTIAL_DELIVERY_ABORTED);
	U(SCTP_AUTH_NEW_KEY); U(SCTP_AUTH_FREE_KEY); U(SCTP_AUTH_NO_AUTH);
	U(SCTP_STREAM_RESET_INCOMING_SSN); U(SCTP_STREAM_RESET_OUTGOING_SSN);
	U(SCTP_STREAM_RESET_DENIED); U(SCTP_STREAM_RESET_FAILED);
	U(SCTP_ASSOC_RESET_DENIED); U(SCTP_ASSOC_RESET_FAILED);
	U(SCTP_ASSOC_CHANGE_DENIED); U(SCTP_ASSOC_CHANGE_FAILED);
	/* spp_flags */
	U(SPP_HB_ENABLE); U(SPP_HB_DISABLE); U(SPP_HB); U(SPP_HB_DEMAND); U(SPP_PMTUD_ENABLE);
	U(SPP_PMTUD_DISABLE); U(SPP_PMTUD); U(SPP_SACKDELAY_ENABLE); U(SPP_SACKDELAY_DISABLE);
	U(SPP_SACKDELAY); U(SPP_HB_TIME_IS_ZERO); U(SPP_IPV6_FLOWLABEL); U(SPP_DSCP);
	U(SCTP_AUTH_HMAC_ID_SHA1); U(SCTP_AUTH_HMAC_ID_SHA256);
	/* peer address and association states */
	C(SCTP_INACTIVE); C(SCTP_PF); C(SCTP_ACTIVE); C(SCTP_UNCONFIRMED); C(SCTP_UNKNOWN);
	C(SCTP_EMPTY); C(SCTP_CLOSED); C(SCTP_COOKIE_WAIT); C(SCTP_COOKIE_ECHOED);
	C(SCTP_ESTABLISHED); C(SCTP_SHUTDOWN_PENDING); C(SCTP_SHUTDOWN_SENT);
	C(SCTP_SHUTDOWN_RECEIVED); C(SCTP_SHUTDOWN_ACK_SENT);
	C(SCTP_BINDX_ADD_ADDR); C(SCTP_BINDX_REM_ADDR);
	U(MSG_FIN);

	STRUCT(sctp_initmsg); F(sctp_initmsg, sinit_num_ostreams);
	F(sctp_initmsg, sinit_max_instreams); F(sctp_initmsg, sinit_max_attempts);
	F(sctp_initmsg, sinit_max_init_timeo); END;
	STRUCT(sctp_sndrcvinfo); F(sctp_sndrcvinfo, sinfo_stream); F(sctp_sndrcvinfo, sinfo_ssn);
	F(sctp_sndrcvinfo, sinfo_flags); F(sctp_sndrcvinfo, sinfo_ppid);
	F(sctp_sndrcvinfo, sinfo_context); F(sctp_sndrcvinfo, sinfo_timetolive);
	F(sctp_sndrcvinfo, sinfo_tsn); F(sctp_sndrcvinfo, sinfo_cumtsn);
	F(sctp_sndrcvinfo, sinfo_assoc_id); END;
	STRUCT(sctp_sndinfo); F(sctp_sndinfo, snd_sid); F(sctp_sndinfo, snd_flags);
	F(sctp_sndinfo, snd_ppid); F(sctp_sndinfo, snd_context); F(sctp_sndinfo, snd_assoc_id); END;
	STRUCT(sctp_rcvinfo); F(sctp_rcvinfo, rcv_sid); F(sctp_rcvinfo, rcv_ssn);
	F(sctp_rcvinfo, rcv_flags); F(sctp_rcvinfo, rcv_ppid); F(sctp_rcvinfo, rcv_tsn);
	F(sctp_rcvinfo, rcv_cumtsn); F(sctp_rcvinfo, rcv_context); F(sctp_rcvinfo, rcv_assoc_id); END;
	STRUCT(sctp_nxtinfo); F(sctp_nxtinfo, nxt_sid); F(sctp_nxtinfo, nxt_flags);
	F(sctp_nxtinfo, nxt_ppid); F(sctp_nxtinfo, nxt_length); F(sctp_nxtinfo, nxt_assoc_id); END;
	STRUCT(sctp_prinfo); F(sctp_prinfo, pr_policy); F(sctp_prinfo, pr_value); END;
	STRUCT(sctp_authinfo); F(sctp_authinfo, auth_keynumber); END;
	STRUCT(sctp_assoc_change); F(sctp_assoc_change, sac_type); F(sctp_assoc_change, sac_flags);
	F(sctp_assoc_change, sac_length); F(sctp_assoc_change, sac_state);
	F(sctp_assoc_change, sac_error); F(sctp_assoc_change, sac_outbound_streams);
	F(sctp_assoc_change, sac_inbound_streams); F(sctp_assoc_change, sac_assoc_id);
	F(sctp_assoc_change, sac_info); END;
	STRUCT(sctp_paddr_change); F(sctp_paddr_change, spc_type); F(sctp_paddr_change, spc_flags);
	F(sctp_paddr_change, spc_length); F(sctp_paddr_change, spc_aaddr);
	F(sctp_paddr_change, spc_state); F(sctp_paddr_change, spc_error);
	F(sctp_paddr_change, spc_assoc_id); END;
	STRUCT(sctp_remote_error); F(sctp_remote_error, sre_type); F(sctp_remote_error, sre_flags);
	F(sctp_remote_error, sre_length); F(sctp_remote_error, sre_error);
	F(sctp_remote_error, sre_assoc_id); F(sctp_remote_error, sre_data); END;
	STRUCT(sctp_send_failed); F(sctp_send_failed, ssf_type); F(sctp_send_failed, ssf_flags);
	F(sctp_send_failed, ssf_length); F(sctp_send_failed, ssf_error);
	F(sctp_send_failed, ssf_info); F(sctp_send_failed, ssf_assoc_id);
	F(sctp_send_failed, ssf_data); END;
	STRUCT(sctp_send_failed_event); F(sctp_send_failed_event, ssf_type);
	F(sctp_send_failed_event, ssf_flags); F(sctp_send_failed_event, ssf_length);
	F(sctp_send_failed_event, ssf_error); F(sctp_send_failed_event, ssfe_info);
	F(sctp_send_failed_event, ssf_assoc_id); F(sctp_send_failed_event, ssf_data); END;
	STRUCT(sctp_shutdown_event); F(sctp_shutdown_event, sse_type);
	F(sctp_shutdown_event, sse_flags); F(sctp_shutdown_event, sse_length);
	F(sctp_shutdown_event, sse_assoc_id); END;
	STRUCT(sctp_adaptation_event); F(sctp_adaptation_event, sai_type);
	F(sctp_adaptation_event, sai_flags); F(sctp_adaptation_event, sai_length);
	F(sctp_adaptation_event, sai_adaptation_ind); F(sctp_adaptation_event, sai_assoc_id); END;
	STRUCT(sctp_pdapi_event); F(sctp_pdapi_event, pdapi_type); F(sctp_pdapi_event, pdapi_flags);
	F(sctp_pdapi_event, pdapi_length); F(sctp_pdapi_event, pdapi_indication);
	F(sctp_pdapi_event, pdapi_assoc_id); F(sctp_pdapi_event, pdapi_stream);
	F(sctp_pdapi_event, pdapi_seq); END;
	STRUCT(sctp_authkey_event); F(sctp_authkey_event, auth_type);
	F(sctp_authkey_event, auth_flags); F(sctp_authkey_event, auth_length);
	F(sctp_authkey_event, auth_keynumber); F(sctp_authkey_event, auth_altkeynumber);
	F(sctp_authkey_event, auth_indication); F(sctp_authkey_event, auth_assoc_id); END;
	STRUCT(sctp_sender_dry_event); F(sctp_sender_dry_event, sender_dry_type);
	F(sctp_sender_dry_event, sender_dry_flags); F(sctp_sender_dry_event, sender_dry_length);
	F(sctp_sender_dry_event, sender_dry_assoc_id); END;
	STRUCT(sctp_stream_reset_event); F(sctp_stream_reset_event, strreset_type);
	F(sctp_stream_reset_event, strreset_flags); F(sctp_stream_reset_event, strreset_length);
	F(sctp_stream_reset_event, strreset_assoc_id);
	F(sctp_stream_reset_event, strreset_stream_list); END;
	STRUCT(sctp_assoc_reset_event); F(sctp_assoc_reset_event, assocreset_type);
	F(sctp_assoc_reset_event, assocreset_flags); F(sctp_assoc_reset_event, assocreset_length);
	F(sctp_assoc_reset_event, assocreset_assoc_id);
	F(sctp_assoc_reset_event, assocreset_local_tsn);
	F(sctp_assoc_reset_event, assocreset_remote_tsn); END;
	STRUCT(sctp_stream_change_event); F(sctp_stream_change_event, strchange_type);
	F(sctp_stream_change_event, strchange_flags); F(sctp_stream_change_event, strchange_length);
	F(sctp_stream_change_event, strchange_assoc_id);
	F(sctp_stream_change_event, strchange_instrms);
	F(sctp_stream_change_event, strchange_outstrms); END;
	STRUCT(sctp_event_subscribe); F(sctp_event_subscribe, sctp_data_io_event);
	F(sctp_event_subscribe, sctp_association_event); F(sctp_event_subscribe, sctp_address_event);
	F(sctp_event_subscribe, sctp_send_failure_event); F(sctp_event_subscribe, sctp_peer_error_event);
	F(sctp_event_subscribe, sctp_shutdown_event);
	F(sctp_event_subscribe, sctp_partial_delivery_event);
	F(sctp_event_subscribe, sctp_adaptation_layer_event);
	F(sctp_event_subscribe, sctp_authentication_event);
	F(sctp_event_subscribe, sctp_sender_dry_event);
	F(sctp_event_subscribe, sctp_stream_reset_event);
	F(sctp_event_subscribe, sctp_assoc_reset_event);
	F(sctp_event_subscribe, sctp_stream_change_event);
	F(sctp_event_subscribe, sctp_send_failure_event_event); END;
	STRUCT(sctp_event); F(sctp_event, se_assoc_id); F(sctp_event, se_type); F(sctp_event, se_on); END;
	STRUCT(sctp_rtoinfo); F(sctp_rtoinfo, srto_assoc_id); F(sctp_rtoinfo, srto_initial);
	F(sctp_rtoinfo, srto_max); F(sctp_rtoinfo, srto_min); END;
	STRUCT(sctp_assocparams); F(sctp_assocparams, sasoc_assoc_id);
	F(sctp_assocparams, sasoc_asocmaxrxt); F(sctp_assocparams, sasoc_number_peer_destinations);
	F(sctp_assocparams, sasoc_peer_rwnd); F(sctp_assocparams, sasoc_local_rwnd);
	F(sctp_assocparams, sasoc_cookie_life); END;
	STRUCT(sctp_setpeerprim); F(sctp_setpeerprim, sspp_assoc_id); F(sctp_setpeerprim, sspp_addr); END;
	STRUCT(sctp_prim); F(sctp_prim, ssp_assoc_id); F(sctp_prim, ssp_addr); END;
	STRUCT(sctp_setadaptation); F(sctp_setadaptation, ssb_adaptation_ind); END;
	STRUCT(sctp_paddrparams); F(sctp_paddrparams, spp_assoc_id); F(sctp_paddrparams, spp_address);
	F(sctp_paddrparams, spp_hbinterval); F(sctp_paddrparams, spp_pathmaxrxt);
	F(sctp_paddrparams, spp_pathmtu); F(sctp_paddrparams, spp_sackdelay);
	F(sctp_paddrparams, spp_flags); F(sctp_paddrparams, spp_ipv6_flowlabel);
	F(sctp_paddrparams, spp_dscp); END;
	STRUCT(sctp_hmacalgo); F(sctp_hmacalgo, shmac_num_idents); F(sctp_hmacalgo, shmac_idents); END;
	STRUCT(sctp_authkey); F(sctp_authkey, sca_assoc_id); F(sctp_authkey, sca_keynumber);
	F(sctp_authkey, sca_keylength); F(sctp_authkey, sca_key); END;
	STRUCT(sctp_authkeyid); F(sctp_authkeyid, scact_assoc_id); F(sctp_authkeyid, scact_keynumber); END;
	STRUCT(sctp_sack_info); F(sctp_sack_info, sack_assoc_id); F(sctp_sack_info, sack_delay);
	F(sctp_sack_info, sack_freq); END;
	STRUCT(sctp_assoc_value); F(sctp_assoc_value, assoc_id); F(sctp_assoc_value, assoc_value); END;
	STRUCT(sctp_stream_value); F(sctp_stream_value, assoc_id); F(sctp_stream_value, stream_id);
	F(sctp_stream_value, stream_value); END;
	STRUCT(sctp_paddrinfo); F(sctp_paddrinfo, spinfo_assoc_id); F(sctp_paddrinfo, spinfo_address);
	F(sctp_paddrinfo, spinfo_state); F(sctp_paddrinfo, spinfo_cwnd); F(sctp_paddrinfo, spinfo_srtt);
	F(sctp_paddrinfo, spinfo_rto); F(sctp_paddrinfo, spinfo_mtu); END;
	STRUCT(sctp_status); F(sctp_status, sstat_assoc_id); F(sctp_status, sstat_state);
	F(sctp_status, sstat_rwnd); F(sctp_status, sstat_unackdata); F(sctp_status, sstat_penddata);
	F(sctp_status, sstat_instrms); F(sctp_status, sstat_outstrms);
	F(sctp_status, sstat_fragmentation_point); F(sctp_status, sstat_primary); END;
	STRUCT(sctp_authchunks); F(sctp_authchunks, gauth_assoc_id);
	F(sctp_authchunks, gauth_number_of_chunks); F(sctp_authchunks, gauth_chunks); END;
	STRUCT(sctp_assoc_ids); F(sctp_assoc_ids, gaids_number_of_ids); F(sctp_assoc_ids, gaids_assoc_id); END;
	STRUCT(sctp_getaddrs_old); F(sctp_getaddrs_old, assoc_id); F(sctp_getaddrs_old, addr_num);
	F(sctp_getaddrs_old, addrs); END;
	STRUCT(sctp_getaddrs); F(sctp_getaddrs, assoc_id); F(sctp_getaddrs, addr_num);
	F(sctp_getaddrs, addrs); END;
	STRUCT(sctp_assoc_stats); F(sctp_assoc_stats, sas_assoc_id); END;
	TYPEDEF(sctp_peeloff_arg_t); TF(sctp_peeloff_arg_t, associd); TF(sctp_peeloff_arg_t, sd); END;
	TYPEDEF(sctp_peeloff_flags_arg_t); TF(sctp_peeloff_flags_arg_t, p_arg);
	TF(sctp_peeloff_flags_arg_t, flags); END;
	STRUCT(sctp_paddrthlds); F(sctp_paddrthlds, spt_assoc_id); F(sctp_paddrthlds, spt_address);
	F(sctp_paddrthlds, spt_pathmaxrxt); F(sctp_paddrthlds, spt_pathpfthld); END;
	STRUCT(sctp_paddrthlds_v2); F(sctp_paddrthlds_v2, spt_pathcpthld); END;
	STRUCT(sctp_prstatus); F(sctp_prstatus, sprstat_assoc_id); F(sctp_prstatus, sprstat_sid);
	F(sctp_prstatus, sprstat_policy); F(sctp_prstatus, sprstat_abandoned_unsent);
	F(sctp_prstatus, sprstat_abandoned_sent); END;
	STRUCT(sctp_default_prinfo); F(sctp_default_prinfo, pr_assoc_id);
	F(sctp_default_prinfo, pr_value); F(sctp_default_prinfo, pr_policy); END;
	STRUCT(sctp_reset_streams); F(sctp_reset_streams, srs_assoc_id); F(sctp_reset_streams, srs_flags);
	F(sctp_reset_streams, srs_number_streams); F(sctp_reset_streams, srs_stream_list); END;
	STRUCT(sctp_add_streams); F(sctp_add_streams, sas_assoc_id); F(sctp_add_streams, sas_instrms);
	F(sctp_add_streams, sas_outstrms); END;
	STRUCT(sctp_udpencaps); F(sctp_udpencaps, sue_assoc_id); F(sctp_udpencaps, sue_address);
	F(sctp_udpencaps, sue_port); END;
	STRUCT(sctp_probeinterval); F(sctp_probeinterval, spi_assoc_id);
	F(sctp_probeinterval, spi_address); F(sctp_probeinterval, spi_interval); END;
	return 0;
}
