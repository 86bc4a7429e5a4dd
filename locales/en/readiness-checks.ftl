## Mail readiness: the lines, verdicts and fixes of the mail-readiness page (src/checks/mail_readiness)
rc-ptr-none-v6 = { $ip } has no PTR: receivers refuse mail over IPv6 from addresses without one.
rc-ptr-none = { $ip } has no PTR.
rc-ptr-default = The provider's default name { $name } is in force.
rc-ptr-own = { $name } is in force.
rc-forward-none = No PTR to confirm.
rc-greeting-no-ptr = No PTR to compare the greeting with.
rc-greeting-not-tested = Not tested yet. The test connects to the mail server on { $ip } and reads its greeting; nothing is sent but QUIT.
rc-records-no-domain = { $name } has no registrable domain to read records of.
rc-records-no-ptr = No PTR, so no domain to read records of.
rc-generic-embeds = { $name } carries the address itself: receivers read such names as dynamic space.
rc-generic-score-from = score { $score } (from { $threshold } reads as generated)
rc-generic-generated = { $name } looks generated (score { $score } of { $threshold }): receivers may read it as dynamic space.
rc-generic-by-hand = { $name } reads as a name given by hand (score { $score }, generated from { $threshold }).
rc-generic-none = No PTR to score.
rc-breakdown-address-numbers = address numbers
rc-breakdown-dynamic-words = dynamic words
rc-breakdown-weak-words = weak words
rc-breakdown-long-runs = long digit runs
rc-dns-off = the DNS checks are off on this panel
rc-dns-timeout = DNS did not answer within { $seconds } s
rc-not-known = Not known: { $why }.
rc-could-not-ask = { $name } could not be asked: { $why }.
rc-mx-found = { $domain } has MX records.
rc-mx-none = { $domain } has no MX record: replies and bounces to it have nowhere to go.
rc-nxdomain = { $domain } does not exist in DNS (NXDOMAIN).
rc-spf-none = { $domain } has no SPF record (TXT "v=spf1 …").
rc-spf-found = { $domain } has an SPF record.
rc-spf-invalid = The SPF record of { $domain } is not valid: { $problem }.
rc-spf-several = { $domain } has { $count } SPF records; receivers treat more than one as an error (RFC 7208, 3.2).
rc-spf-qualifiers = "{ $term }" has more than one qualifier
rc-spf-not-modifier = "{ $term }" is not a modifier
rc-spf-not-mechanism = "{ $term }" is not a mechanism
rc-spf-needs-value = "{ $term }" needs a value after ":"
rc-spf-all-value = "{ $term }": all takes no value
rc-spf-not-network = "{ $term }" is not an { $name } network
rc-dmarc-none = { $domain } has no DMARC record (TXT "v=DMARC1; …" at { $name }).
rc-dmarc-found = { $domain } has a DMARC record.
rc-dmarc-invalid = The DMARC record of { $domain } is not valid: { $problem }.
rc-dmarc-several = { $name } has { $count } DMARC records; receivers ignore them all (RFC 7489, 6.6.3).
rc-dmarc-not-pair = "{ $tag }" is not a tag=value pair
rc-dmarc-bad-policy = p={ $policy } is not none, quarantine or reject
rc-dmarc-no-policy = it has no policy (p=none, quarantine or reject)
rc-fix-set-ptr = Set a PTR for { $ip } on the customer page: a name of your own, such as mail.example.com, with an { $record } record pointing to { $ip }.
rc-verdict-ipv6-no-ptr = IPv6 has no PTR
rc-verdict-no-ptr = No PTR
rc-verdict-listed = Listed on { $zones }
rc-fix-listed = Look the address up on the list's own site to learn why, fix the cause (an open relay, a hacked account, a dynamic-space listing of a default name), then ask the list to remove it.
rc-verdict-not-forward = The PTR is not forward-confirmed
rc-fix-forward = Add the { $record } record { $name } → { $ip } in the DNS of { $domain }.
rc-the-names-domain = the name's domain
rc-verdict-dynamic = Will be treated as dynamic
rc-fix-dynamic = Set a PTR of your own that names the server, such as mail.example.com (with the { $record } record → { $ip }), instead of { $name }.
rc-verdict-greeting = The greeting does not name the PTR
rc-fix-greeting = Make the mail server greet as { $name } (Postfix: myhostname = { $name }; Exim: primary_hostname).
rc-the-domain = the domain
rc-verdict-no-spf = No valid SPF record for { $domain }
rc-fix-spf = Publish one TXT record at { $domain }, such as "v=spf1 mx { $mechanism }:{ $ip } -all".
rc-verdict-no-dmarc = No DMARC record for { $domain }
rc-fix-dmarc = Publish TXT "v=DMARC1; p=none; rua=mailto:postmaster@{ $domain }" at _dmarc.{ $domain }, then tighten p= once the reports look right.
rc-verdict-no-mx = No MX for { $domain }
rc-fix-mx = Publish an MX record at { $domain } so that replies and bounces reach you.
rc-verdict-unverified = Not every check could be answered
rc-fix-unverified = Look at the lines without an answer below and try again in a minute.
rc-verdict-ready = Ready to send mail

## Blocklists (src/checks/blocklists.rs)
rc-bl-not-listed = Not listed on { $zone }.
rc-bl-listed = Listed on { $zone } ({ $codes }).
rc-bl-unverified = { $zone } could not be asked: { $reason }.
rc-bl-throttled = not asked now: this panel sends the blocklists at most { $per_second ->
    [one] { $per_second } question
   *[other] { $per_second } questions
} a second; try again in { $seconds } s
rc-bl-not-a-listing = it answered { $answers }, which is not a listing (127.0.0.x); the list may refuse questions from the resolver asked

## Why the zone's own name servers gave no answer (src/checks/dns/authority.rs)
rc-dns-no-server-answered = no name server of { $zone } answered ({ $why })
rc-dns-name-servers-of = the name servers of { $zone }
rc-dns-root-zone = the root zone
rc-dns-root-hint = root hint { $address }
rc-dns-group = { $servers } { $why }
rc-dns-list = { $first }, { $rest }
rc-dns-groups = { $first }; { $rest }
rc-dns-answered = answered { $rcode }
rc-dns-no-answer-within = did not answer within { $seconds } s
rc-dns-nxdomain-without-authority = answered NXDOMAIN without authority
rc-dns-records-without-authority = answered without authority (from a cache?)
rc-dns-no-authority-no-referral = answered without authority and without a referral
rc-dns-could-not-be-asked = could not be asked ({ $why })
rc-dns-not-asked = was not asked (more than { $questions } questions were needed)
rc-dns-referred-to = referred to { $zone } instead of answering
rc-dns-forwarder-lame = forwarder { $forwarder } { $why }
rc-dns-too-many-questions = more than { $questions } questions were needed
rc-dns-forwarder-no-address = the forwarder gave no address of a name server of { $zone }
rc-dns-forwarder-no-zone = the forwarder named no zone that holds { $name } (no SOA in its answer)
rc-dns-forwarder-no-name-server = the forwarder named no name server of { $zone }
rc-dns-no-address-found = the name servers of { $zone } ({ $names }) have no address that could be found
rc-dns-too-many-referrals = the delegation of { $name } goes through more than { $zones } zones
