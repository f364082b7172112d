#!/usr/bin/env bash
# A local mail server for egov's official e-mail: Dovecot (IMAP, LMTP)
# and Postfix (SMTP) from Debian, listening on loopback ports, reading the
# account directory egov writes (EGOV_MAIL_DIRECTORY). The mail tests
# start one per test; an operator can read it as the configuration egov
# expects of a production server.
#
#   scripts/mail-server.sh start DIR DOMAIN IMAP_PORT SMTP_PORT LMTP_PORT [POLICY_URL POLICY_KEY]
#   scripts/mail-server.sh stop DIR
#
# With POLICY_URL (egov's http://HOST:PORT/mail/dovecot-policy) and
# POLICY_KEY (egov's EGOV_MAIL_POLICY_KEY), Dovecot asks egov before each
# sign-in and reports after it: egov locks a box after 12 failures.
# EGOV_MAIL_FAILURE_DELAY sets Dovecot's pause after a failed sign-in
# (default 2 secs; the tests use 0).
#
# DIR/directory  the folder egov writes: passwd (Dovecot passwd-file),
#                virtual_mailboxes and virtual_aliases (Postfix texthash)
# DIR/mail       the mailboxes (Maildir), owned by the system user `mail`
# DIR/dovecot, DIR/postfix   each server's configuration, state and log
#
# egov runs `postfix -c DIR/postfix reload` after each write (the command
# is printed on start, for EGOV_MAIL_RELOAD_COMMAND): Postfix reads texthash
# tables when its processes start; Dovecot re-reads a changed passwd-file
# by itself (it looks at most once a second). Needs root (Postfix's master runs as root, as in production).
set -euo pipefail

usage() { echo "dùng: $0 start DIR DOMAIN IMAP_PORT SMTP_PORT LMTP_PORT [POLICY_URL POLICY_KEY] | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
command=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

stop() {
  if [ -f "$dir/postfix/main.cf" ]; then
    postfix -c "$dir/postfix" stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/dovecot/run/master.pid" ]; then
    pid=$(cat "$dir/dovecot/run/master.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}

case "$command" in
  stop) stop; exit 0 ;;
  start) [ $# -eq 6 ] || [ $# -eq 8 ] || usage ;;
  *) usage ;;
esac
domain=$3 imap_port=$4 smtp_port=$5 lmtp_port=$6
policy_url=${7:-} policy_key=${8:-}
for tool in dovecot postfix; do
  command -v "$tool" >/dev/null || { echo "Thiếu $tool: chạy scripts/setup.sh --test" >&2; exit 1; }
done

mkdir -p "$dir/directory" "$dir/mail" "$dir/dovecot/run" "$dir/dovecot/state" \
  "$dir/postfix" "$dir/postfix-data" "$dir/spool"
for f in passwd virtual_mailboxes virtual_aliases; do
  [ -f "$dir/directory/$f" ] || : > "$dir/directory/$f"
done
chown mail:mail "$dir/mail"
chown postfix "$dir/postfix-data"
chmod 0755 "$dir" "$dir/directory"

cat > "$dir/dovecot/dovecot.conf" <<CONF
# Dovecot for egov: accounts from egov's passwd-file, Maildir under
# $dir/mail, IMAP and LMTP on loopback.
base_dir = $dir/dovecot/run
state_dir = $dir/dovecot/state
instance_name = egov-$imap_port
log_path = $dir/dovecot/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
# Loopback only in the tests; a production server requires TLS instead.
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_uid = mail
mail_gid = mail
first_valid_uid = 8
mail_location = maildir:$dir/mail/%d/%n
mail_plugins = quota
auth_failure_delay = ${EGOV_MAIL_FAILURE_DELAY:-2 secs}
passdb {
  driver = passwd-file
  args = scheme=CRYPT username_format=%u $dir/directory/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $dir/directory/passwd
  default_fields = home=$dir/mail/%d/%n
}
plugin {
  quota = maildir:User quota
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp_port
  }
}
CONF

if [ -n "$policy_url" ]; then
  cat >> "$dir/dovecot/dovecot.conf" <<CONF
# egov keeps the lockout: asked before each sign-in, told after it.
auth_policy_server_url = $policy_url
auth_policy_server_api_header = X-API-Key:$policy_key
auth_policy_hash_nonce = egov-$imap_port
auth_policy_request_attributes = login=%{requested_username} remote=%{rip} protocol=%s
CONF
fi

cat > "$dir/postfix/main.cf" <<CONF
# Postfix for egov: accepts mail for $domain's boxes that egov's tables
# list, hands it to Dovecot over LMTP.
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/postfix-data
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.$domain
mydomain = $domain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = $domain
virtual_mailbox_maps = texthash:$dir/directory/virtual_mailboxes
virtual_alias_maps = texthash:$dir/directory/virtual_aliases
virtual_transport = lmtp:inet:127.0.0.1:$lmtp_port
# Attachments up to 30 MB (DOMAIN.md §8), with base64's third more.
message_size_limit = 41943040
maillog_file_prefixes = $dir
maillog_file = $dir/postfix/maillog
biff = no
CONF

cat > "$dir/postfix/master.cf" <<CONF
127.0.0.1:$smtp_port inet n - n - - smtpd
pickup    unix  n  -  n  60    1  pickup
cleanup   unix  n  -  n  -     0  cleanup
qmgr      unix  n  -  n  300   1  qmgr
rewrite   unix  -  -  n  -     -  trivial-rewrite
bounce    unix  -  -  n  -     0  bounce
defer     unix  -  -  n  -     0  bounce
trace     unix  -  -  n  -     0  bounce
verify    unix  -  -  n  -     1  verify
flush     unix  n  -  n  1000? 0  flush
proxymap  unix  -  -  n  -     -  proxymap
smtp      unix  -  -  n  -     -  smtp
relay     unix  -  -  n  -     -  smtp
showq     unix  n  -  n  -     -  showq
error     unix  -  -  n  -     -  error
retry     unix  -  -  n  -     -  error
discard   unix  -  -  n  -     -  discard
lmtp      unix  -  -  n  -     -  lmtp
anvil     unix  -  -  n  -     1  anvil
scache    unix  -  -  n  -     1  scache
postlog   unix-dgram n - n -   1  postlogd
CONF

stop
# The daemons must not hold the caller's output open: their own output
# goes to start.log, shown if they fail.
if ! { dovecot -c "$dir/dovecot/dovecot.conf" && postfix -c "$dir/postfix" check &&
       postfix -c "$dir/postfix" start; } </dev/null >"$dir/start.log" 2>&1; then
  cat "$dir/start.log" >&2
  exit 1
fi
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$imap_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; then
    echo "EGOV_MAIL_DIRECTORY=$dir/directory"
    echo "EGOV_MAIL_RELOAD_COMMAND=postfix -c $dir/postfix reload"
    exit 0
  fi
  sleep 0.1
done
echo "Máy chủ thư không mở cổng $imap_port/$smtp_port; xem $dir/dovecot/dovecot.log và $dir/postfix/maillog" >&2
exit 1
