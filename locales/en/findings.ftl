# The check engine's findings: one sentence each. The finding's id and details stay
# language-neutral; only these sentences are translated.

## Names (reserved-name, unknown-tld, public-suffix, dynamic-dns, protected-domain)
finding-reserved-name = { $hostname } is under .{ $tld }, which { $why } and never resolves in public DNS; use a name under a domain you own, such as mail.example.com.
finding-reserved-why-local = is for multicast DNS inside one local network
finding-reserved-why-localhost = always means this computer itself
finding-reserved-why-test = is reserved for testing
finding-reserved-why-example = is reserved for documentation examples
finding-reserved-why-invalid = is reserved for names that are guaranteed not to exist
finding-reserved-why-onion = is for Tor onion services
finding-reserved-why-alt = is reserved for names outside the DNS
finding-reserved-why-internal = is reserved for private networks
finding-reserved-why-arpa = holds DNS infrastructure such as the reverse-DNS tree
finding-unknown-tld = The top-level domain .{ $tld } is not in the Public Suffix List; check the spelling of the end of the name.
finding-unknown-tld-newer = The top-level domain .{ $tld } is newer than ptrdesk's Public Suffix List, but exists in DNS.
finding-public-suffix = { $hostname } is a public suffix, under which anyone can register names; use a host name inside a domain you own, such as mail.example.com.
finding-dynamic-dns = { $hostname } is under { $service }, a dynamic-DNS service, and mail servers often refuse mail from such names; use a name under a domain you own.
finding-protected-domain = { $domain } is reserved by the provider; use a name under a domain of your own, such as mail.example.com.

## How the name relates to the address (embeds-ip, provider-default, generic-looking)
finding-embeds-ip = The name contains the address { $ip } (as { $found }); mail servers treat such names as dynamic. Use a name of your own, such as mail.example.com.
finding-provider-default-name = { $name } is the provider's default name of { $ip }; to go back to it, use Reset to default instead.
finding-provider-default-domain = { $domain } holds the provider's default names; to go back to the default name of { $ip }, use Reset to default instead.
finding-generic-looking = The name looks automatically generated (it has { $reasons }); mail servers often treat such names as dynamic. Use a name of your own, such as mail.example.com.
finding-generic-numbers = { $count ->
    [one] the number { $items } of the address
   *[other] the numbers { $items } of the address
}
finding-generic-words = { $count ->
    [one] the word { $items }
   *[other] the words { $items }
}
finding-generic-long-numbers = { $count ->
    [one] the long number { $items }
   *[other] the long numbers { $items }
}
# A list's last two items: "a, b and c" is { $head } = "a, b", { $last } = "c".
finding-list-and = { $head } and { $last }
finding-list-comma = { $head }, { $last }

## syntax: not a host name (the same words as the form says beside the field)
finding-syntax-empty = Enter a host name, such as mail.example.com.
finding-syntax-name-too-long = The name is { $length } characters long{ $form }; at most 253 are allowed.
finding-syntax-dns-form = { " " }once encoded for DNS
finding-syntax-as-typed = {""}
finding-syntax-ip-address = { $input } is an IP address; a PTR must point to a host name.
finding-syntax-empty-label = The name has an empty label (two dots in a row, or a dot at the start).
finding-syntax-wildcard = "*" is a wildcard; a PTR must name exactly one host.
finding-syntax-character = The label { $label } contains { $char }: only letters, digits and hyphens are allowed.
finding-syntax-symbol = { $char } is not allowed in a host name (only letters, digits and hyphens, in any script).
finding-syntax-char = "{ $char }"
finding-syntax-char-space = a space
finding-syntax-char-invisible = the invisible character U+{ $code }
finding-syntax-char-invisible-start = The invisible character U+{ $code }
finding-syntax-leading-hyphen = The label { $label } starts with a hyphen.
finding-syntax-trailing-hyphen = The label { $label } ends with a hyphen.
finding-syntax-joiner = The label { $label } contains an invisible joiner (U+{ $code }) where it is not allowed.
finding-syntax-invalid-idn = { $label } is not a valid internationalised label.
finding-syntax-label-too-long = The label { $label } is { $length } characters long{ $form }; a label may have at most 63.
finding-syntax-not-fully-qualified = { $name } is not fully qualified: add its domain, e.g. { $short }.example.com.
finding-syntax-numeric-tld = The top-level domain { $tld } is all digits.

## The engine itself
finding-delegation-dns-off = The name servers were not asked: DNS checks are off.
finding-dns-budget = DNS did not answer within { $seconds } s; the checks will be run again.

## confusable
finding-confusable-looks-like = { $name } can be mistaken for { $original }, { $what }: Unicode TS #39 counts their letters as look-alikes. Use a name that does not imitate it.
finding-confusable-protected = a domain the provider reserves
finding-confusable-brand = the domain of a well-known brand
finding-confusable-whole-script = In { $name }, the label “{ $label }” is written in { $script } letters that look like the Latin “{ $latin }”, so the name reads as “{ $whole }”. Use a name that cannot be mistaken for a Latin one.
finding-confusable-mixed-scripts = In { $name }, the label “{ $label }” mixes { $scripts } letters, which lets a name imitate another. Use the letters of one script per label (the only mixes allowed are Chinese, Japanese or Korean writing, each with Latin letters).
finding-confusable-uncommon = In { $name }, the label “{ $label }” contains { $char }, a character Unicode TS #39 does not recommend in names. Use common letters of one script.
finding-confusable-no-letters = no letters

## mail-banner: what the SMTP server on the customer's own address says first
finding-mail-banner-nothing = Nothing answers SMTP on port { $port } of { $ip } ({ $why }).
finding-mail-banner-no-connection = no connection within { $seconds } s
finding-mail-banner-refused = connection refused
finding-mail-banner-timed-out = connection timed out
finding-mail-banner-capped = Port { $port } of { $ip } sent { $cap } octets without ending a line: that is not an SMTP greeting (a reply line has at most { $cap }).
finding-mail-banner-silent = Port { $port } of { $ip } accepted a connection but stayed silent for { $seconds } s.
finding-mail-banner-closed = Port { $port } of { $ip } accepted a connection and closed it without a greeting.
finding-mail-banner-unfinished = Port { $port } of { $ip } began a greeting but did not finish its first line.
finding-mail-banner-unfinished-within = Port { $port } of { $ip } began a greeting but did not finish its first line within { $seconds } s.
finding-mail-banner-not-smtp = Port { $port } of { $ip } answered, but not with an SMTP greeting: "{ $greeting }".
finding-mail-banner-refuses = The mail server on port { $port } of { $ip } refuses connections: "{ $greeting }".
finding-mail-banner-no-name = The mail server on port { $port } of { $ip } greets without a name ("{ $greeting }"); make it greet as { $hostname }.
finding-mail-banner-matches = The mail server on port { $port } of { $ip } greets as { $name }, matching the PTR.
finding-mail-banner-other-name = The mail server on port { $port } of { $ip } greets as { $name }, not as { $hostname }: make its greeting name the PTR.
# A server's or the system's own words, not translated.
finding-plain = { $text }

## domain-exists
finding-domain-not-a-name = { $domain } cannot be looked up: it is not a domain name.
finding-domain-unverified = Whether { $domain } exists could not be checked: { $reason }.
finding-domain-exists = { $domain } exists (SOA found at { $at }).
finding-domain-exists-no-soa = { $domain } exists (it has records, though no SOA of its own, at { $at }).
finding-domain-nxdomain = { $domain } does not exist in DNS (NXDOMAIN): use a domain you own.

## forward-confirmed ({ $type } is A or AAAA; { $via } says through which CNAMEs, or nothing)
finding-forward-not-a-name = { $hostname } cannot be looked up: it is not a domain name.
finding-forward-unverified = { $hostname } could not be resolved to check { $ip }: { $reason }.
finding-forward-nxdomain = { $hostname } does not exist in DNS (NXDOMAIN).
finding-forward-alias-nxdomain = { $hostname } is an alias ({ $chain }), but { $target } does not exist in DNS (NXDOMAIN).
finding-forward-cname-loop = { $hostname } has a CNAME loop: { $chain }.
finding-forward-cname-long = { $hostname } has a CNAME chain longer than { $max }: { $chain } …
finding-forward-direct = {""}
finding-forward-via = { " " }(through CNAME { $chain })
finding-forward-via-nxdomain = { $hostname }{ $via } does not exist in DNS (NXDOMAIN).
finding-forward-confirmed = { $hostname } has { $type } { $ip }{ $via }.
finding-forward-none = { $hostname }{ $via } has no { $type } record; add { $type } { $ip }.
finding-forward-other = { $hostname }{ $via } has { $type } { $found }, not { $ip }.
finding-forward-deadline = DNS did not confirm this name before the deadline; fix the forward record and save again.

## Why a DNS question got no answer (the end of a sentence)
finding-reason-timeout = no answer from { $servers } within { $seconds } s
finding-reason-rcode = { $servers } answered { $rcode }
finding-reason-failed = { $servers } could not be asked ({ $error })

## delegation: the customer's own name servers for a zone delegated to them
finding-delegation-no-answer = { $server } does not answer for { $zone }: { $problem }. Set the zone up on it before delegating.
finding-delegation-serials = The name servers serve different versions of { $zone } (serials { $serials }): let them agree first.
finding-delegation-agree = { $servers } answer for { $zone } with the same serial.
finding-delegation-not-a-name = it is not a DNS name
finding-delegation-address-unknown = its address could not be looked up ({ $why })
finding-delegation-no-address = it has no address (no A or AAAA record)
finding-delegation-timeout = no answer within { $seconds } s
finding-delegation-rcode = it answered { $rcode }
finding-delegation-not-authoritative = its answer is not authoritative (the zone is not loaded there)
finding-delegation-no-soa = it has no SOA record for the zone
