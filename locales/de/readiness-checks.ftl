## Mail-Tauglichkeit: Zeilen, Urteile und Abhilfen der Seite (src/checks/mail_readiness)
rc-ptr-none-v6 = { $ip } hat keinen PTR-Eintrag: Empfänger lehnen Mail über IPv6 von Adressen ohne PTR ab.
rc-ptr-none = { $ip } hat keinen PTR-Eintrag.
rc-ptr-default = Der Standardname des Anbieters { $name } ist in Kraft.
rc-ptr-own = { $name } ist in Kraft.
rc-forward-none = Kein PTR-Eintrag zu bestätigen.
rc-greeting-no-ptr = Kein PTR-Eintrag, mit dem die Begrüßung verglichen werden kann.
rc-greeting-not-tested = Noch nicht getestet. Der Test verbindet sich mit dem Mailserver auf { $ip } und liest seine Begrüßung; gesendet wird nur QUIT.
rc-records-no-domain = { $name } hat keine registrierbare Domain, deren Einträge gelesen werden könnten.
rc-records-no-ptr = Kein PTR-Eintrag, also keine Domain, deren Einträge gelesen werden könnten.
rc-generic-embeds = { $name } enthält die Adresse selbst: Empfänger halten solche Namen für dynamische Adressbereiche.
rc-generic-score-from = Wert { $score } (ab { $threshold } gilt ein Name als generiert)
rc-generic-generated = { $name } sieht generiert aus (Wert { $score } von { $threshold }): Empfänger halten ihn womöglich für einen dynamischen Adressbereich.
rc-generic-by-hand = { $name } wirkt wie ein von Hand vergebener Name (Wert { $score }, generiert ab { $threshold }).
rc-generic-none = Kein PTR-Eintrag zu bewerten.
rc-breakdown-address-numbers = Adressteile
rc-breakdown-dynamic-words = dynamische Wörter
rc-breakdown-weak-words = schwache Wörter
rc-breakdown-long-runs = lange Ziffernfolgen
rc-dns-off = die DNS-Prüfungen sind in diesem Panel ausgeschaltet
rc-dns-timeout = DNS hat nicht innerhalb von { $seconds } s geantwortet
rc-not-known = Nicht bekannt: { $why }.
rc-could-not-ask = { $name } konnte nicht abgefragt werden: { $why }.
rc-mx-found = { $domain } hat MX-Einträge.
rc-mx-none = { $domain } hat keinen MX-Eintrag: Antworten und Unzustellbarkeitsmeldungen an diese Domain kommen nirgends an.
rc-nxdomain = { $domain } existiert im DNS nicht (NXDOMAIN).
rc-spf-none = { $domain } hat keinen SPF-Eintrag (TXT „v=spf1 …“).
rc-spf-found = { $domain } hat einen SPF-Eintrag.
rc-spf-invalid = Der SPF-Eintrag von { $domain } ist nicht gültig: { $problem }.
rc-spf-several = { $domain } hat { $count } SPF-Einträge; Empfänger werten mehr als einen als Fehler (RFC 7208, 3.2).
rc-spf-qualifiers = „{ $term }“ hat mehr als einen Qualifier
rc-spf-not-modifier = „{ $term }“ ist kein Modifier
rc-spf-not-mechanism = „{ $term }“ ist kein Mechanismus
rc-spf-needs-value = „{ $term }“ braucht einen Wert nach „:“
rc-spf-all-value = „{ $term }“: all nimmt keinen Wert
rc-spf-not-network = „{ $term }“ ist kein { $name }-Netz
rc-dmarc-none = { $domain } hat keinen DMARC-Eintrag (TXT „v=DMARC1; …“ unter { $name }).
rc-dmarc-found = { $domain } hat einen DMARC-Eintrag.
rc-dmarc-invalid = Der DMARC-Eintrag von { $domain } ist nicht gültig: { $problem }.
rc-dmarc-several = { $name } hat { $count } DMARC-Einträge; Empfänger ignorieren sie alle (RFC 7489, 6.6.3).
rc-dmarc-not-pair = „{ $tag }“ ist kein Paar der Form tag=Wert
rc-dmarc-bad-policy = p={ $policy } ist weder none noch quarantine noch reject
rc-dmarc-no-policy = es fehlt die Richtlinie (p=none, quarantine oder reject)
rc-fix-set-ptr = Setzen Sie auf der Kundenseite einen PTR-Eintrag für { $ip }: einen eigenen Namen wie mail.example.com, mit einem { $record }-Eintrag, der auf { $ip } zeigt.
rc-verdict-ipv6-no-ptr = IPv6 ohne PTR-Eintrag
rc-verdict-no-ptr = Kein PTR-Eintrag
rc-verdict-listed = Gelistet auf { $zones }
rc-fix-listed = Schlagen Sie die Adresse auf der Website der Liste nach, um den Grund zu erfahren, beheben Sie die Ursache (ein offenes Relay, ein gehacktes Konto, die Listung eines Standardnamens als dynamischer Adressbereich) und bitten Sie dann die Liste, die Adresse zu entfernen.
rc-verdict-not-forward = Der PTR-Eintrag ist nicht vorwärts bestätigt
rc-fix-forward = Legen Sie den { $record }-Eintrag { $name } → { $ip } im DNS von { $domain } an.
rc-the-names-domain = der Domain des Namens
rc-verdict-dynamic = Wird als dynamisch behandelt
rc-fix-dynamic = Setzen Sie statt { $name } einen eigenen PTR-Eintrag, der den Server benennt, etwa mail.example.com (mit dem { $record }-Eintrag → { $ip }).
rc-verdict-greeting = Die Begrüßung nennt nicht den PTR-Eintrag
rc-fix-greeting = Lassen Sie den Mailserver als { $name } grüßen (Postfix: myhostname = { $name }; Exim: primary_hostname).
rc-the-domain = die Domain
rc-verdict-no-spf = Kein gültiger SPF-Eintrag für { $domain }
rc-fix-spf = Veröffentlichen Sie einen TXT-Eintrag unter { $domain }, etwa „v=spf1 mx { $mechanism }:{ $ip } -all“.
rc-verdict-no-dmarc = Kein DMARC-Eintrag für { $domain }
rc-fix-dmarc = Veröffentlichen Sie TXT „v=DMARC1; p=none; rua=mailto:postmaster@{ $domain }“ unter _dmarc.{ $domain } und verschärfen Sie p=, sobald die Berichte stimmen.
rc-verdict-no-mx = Kein MX-Eintrag für { $domain }
rc-fix-mx = Veröffentlichen Sie einen MX-Eintrag unter { $domain }, damit Antworten und Unzustellbarkeitsmeldungen Sie erreichen.
rc-verdict-unverified = Nicht jede Prüfung bekam eine Antwort
rc-fix-unverified = Sehen Sie sich unten die Zeilen ohne Antwort an und versuchen Sie es in einer Minute erneut.
rc-verdict-ready = Bereit zum Mailversand

## Sperrlisten (src/checks/blocklists.rs)
rc-bl-not-listed = Nicht gelistet auf { $zone }.
rc-bl-listed = Gelistet auf { $zone } ({ $codes }).
rc-bl-unverified = { $zone } konnte nicht abgefragt werden: { $reason }.
rc-bl-throttled = jetzt nicht abgefragt: dieses Panel stellt den Sperrlisten höchstens { $per_second ->
    [one] { $per_second } Anfrage
   *[other] { $per_second } Anfragen
} pro Sekunde; versuchen Sie es in { $seconds } s erneut
rc-bl-not-a-listing = sie antwortete { $answers }, was keine Listung ist (127.0.0.x); die Liste lehnt womöglich Anfragen des abgefragten Resolvers ab

## Warum die Nameserver der Zone nicht antworteten (src/checks/dns/authority.rs)
rc-dns-no-server-answered = kein Nameserver von { $zone } hat geantwortet ({ $why })
rc-dns-name-servers-of = den Nameservern von { $zone }
rc-dns-root-zone = der Root-Zone
rc-dns-root-hint = Root-Hint { $address }
rc-dns-group = { $servers } { $why }
rc-dns-list = { $first }, { $rest }
rc-dns-groups = { $first }; { $rest }
rc-dns-answered = antwortete mit { $rcode }
rc-dns-no-answer-within = antwortete nicht innerhalb von { $seconds } s
rc-dns-nxdomain-without-authority = antwortete mit NXDOMAIN, aber ohne Autorität
rc-dns-records-without-authority = antwortete ohne Autorität (aus einem Cache?)
rc-dns-no-authority-no-referral = antwortete weder mit Autorität noch mit einem Verweis
rc-dns-could-not-be-asked = konnte nicht gefragt werden ({ $why })
rc-dns-not-asked = wurde nicht gefragt (es wären mehr als { $questions } Anfragen nötig gewesen)
rc-dns-referred-to = verwies auf { $zone }, statt zu antworten
rc-dns-forwarder-lame = Forwarder { $forwarder } { $why }
rc-dns-too-many-questions = es wären mehr als { $questions } Anfragen nötig gewesen
rc-dns-forwarder-no-address = der Forwarder nannte keine Adresse eines Nameservers von { $zone }
rc-dns-forwarder-no-zone = der Forwarder nannte keine Zone, die { $name } enthält (kein SOA in seiner Antwort)
rc-dns-forwarder-no-name-server = der Forwarder nannte keinen Nameserver von { $zone }
rc-dns-no-address-found = für die Nameserver von { $zone } ({ $names }) wurde keine Adresse gefunden
rc-dns-too-many-referrals = die Delegation von { $name } führt durch mehr als { $zones } Zonen
