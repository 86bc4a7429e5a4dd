# Die Befunde der Prüfungen: je ein Satz. Kennung und Details eines Befunds bleiben
# sprachneutral; nur diese Sätze werden übersetzt.

## Namen (reserved-name, unknown-tld, public-suffix, dynamic-dns, protected-domain)
finding-reserved-name = { $hostname } liegt unter .{ $tld }; diese Endung { $why } und wird im öffentlichen DNS nie aufgelöst. Verwenden Sie einen Namen unter einer eigenen Domain, etwa mail.example.com.
finding-reserved-why-local = ist für Multicast-DNS innerhalb eines lokalen Netzes gedacht
finding-reserved-why-localhost = bezeichnet immer den eigenen Rechner
finding-reserved-why-test = ist für Tests reserviert
finding-reserved-why-example = ist für Beispiele in Dokumentationen reserviert
finding-reserved-why-invalid = ist für Namen reserviert, die garantiert nicht existieren
finding-reserved-why-onion = ist für Onion-Dienste von Tor gedacht
finding-reserved-why-alt = ist für Namen außerhalb des DNS reserviert
finding-reserved-why-internal = ist für private Netze reserviert
finding-reserved-why-arpa = enthält DNS-Infrastruktur wie den Reverse-DNS-Baum
finding-unknown-tld = Die Top-Level-Domain .{ $tld } steht nicht in der Public Suffix List. Prüfen Sie die Schreibweise am Ende des Namens.
finding-unknown-tld-newer = Die Top-Level-Domain .{ $tld } ist neuer als die Public Suffix List von ptrdesk, existiert aber im DNS.
finding-public-suffix = { $hostname } ist ein öffentliches Suffix, unter dem jeder Namen registrieren kann. Verwenden Sie einen Hostnamen innerhalb einer eigenen Domain, etwa mail.example.com.
finding-dynamic-dns = { $hostname } liegt unter { $service }, einem Dynamic-DNS-Dienst; Mailserver lehnen Mails von solchen Namen oft ab. Verwenden Sie einen Namen unter einer eigenen Domain.
finding-protected-domain = { $domain } ist vom Anbieter reserviert. Verwenden Sie einen Namen unter einer eigenen Domain, etwa mail.example.com.

## Name und Adresse (embeds-ip, provider-default, generic-looking)
finding-embeds-ip = Der Name enthält die Adresse { $ip } (als { $found }); Mailserver halten solche Namen für dynamisch. Verwenden Sie einen eigenen Namen, etwa mail.example.com.
finding-provider-default-name = { $name } ist der Standardname des Anbieters für { $ip }. Um zu ihm zurückzukehren, verwenden Sie „Auf Standard zurücksetzen“.
finding-provider-default-domain = Unter { $domain } liegen die Standardnamen des Anbieters. Um zum Standardnamen von { $ip } zurückzukehren, verwenden Sie „Auf Standard zurücksetzen“.
finding-generic-looking = Der Name wirkt automatisch erzeugt (er enthält { $reasons }); Mailserver halten solche Namen oft für dynamisch. Verwenden Sie einen eigenen Namen, etwa mail.example.com.
finding-generic-numbers = { $count ->
    [one] die Zahl { $items } der Adresse
   *[other] die Zahlen { $items } der Adresse
}
finding-generic-words = { $count ->
    [one] das Wort { $items }
   *[other] die Wörter { $items }
}
finding-generic-long-numbers = { $count ->
    [one] die lange Zahl { $items }
   *[other] die langen Zahlen { $items }
}
finding-list-and = { $head } und { $last }
finding-list-comma = { $head }, { $last }

## syntax: kein Hostname (dieselben Worte wie neben dem Eingabefeld)
finding-syntax-empty = Geben Sie einen Hostnamen ein, etwa mail.example.com.
finding-syntax-name-too-long = Der Name ist { $length } Zeichen lang{ $form }; erlaubt sind höchstens 253.
finding-syntax-dns-form = { " " }(für DNS kodiert)
finding-syntax-as-typed = {""}
finding-syntax-ip-address = { $input } ist eine IP-Adresse; ein PTR-Eintrag muss auf einen Hostnamen zeigen.
finding-syntax-empty-label = Der Name hat ein leeres Label (zwei Punkte hintereinander oder ein Punkt am Anfang).
finding-syntax-wildcard = „*“ ist ein Platzhalter; ein PTR-Eintrag muss genau einen Host nennen.
finding-syntax-character = Das Label { $label } enthält { $char }: erlaubt sind nur Buchstaben, Ziffern und Bindestriche.
finding-syntax-symbol = { $char } ist in einem Hostnamen nicht erlaubt (nur Buchstaben, Ziffern und Bindestriche, in jeder Schrift).
finding-syntax-char = "{ $char }"
finding-syntax-char-space = ein Leerzeichen
finding-syntax-char-invisible = das unsichtbare Zeichen U+{ $code }
finding-syntax-char-invisible-start = Das unsichtbare Zeichen U+{ $code }
finding-syntax-leading-hyphen = Das Label { $label } beginnt mit einem Bindestrich.
finding-syntax-trailing-hyphen = Das Label { $label } endet mit einem Bindestrich.
finding-syntax-joiner = Das Label { $label } enthält einen unsichtbaren Verbinder (U+{ $code }) an einer Stelle, an der er nicht erlaubt ist.
finding-syntax-invalid-idn = { $label } ist kein gültiges internationalisiertes Label.
finding-syntax-label-too-long = Das Label { $label } ist { $length } Zeichen lang{ $form }; ein Label darf höchstens 63 haben.
finding-syntax-not-fully-qualified = { $name } ist nicht vollständig: ergänzen Sie die Domain, z. B. { $short }.example.com.
finding-syntax-numeric-tld = Die Top-Level-Domain { $tld } besteht nur aus Ziffern.

## Die Prüfungen selbst
finding-delegation-dns-off = Die Nameserver wurden nicht gefragt: DNS-Prüfungen sind ausgeschaltet.
finding-dns-budget = DNS hat nicht innerhalb von { $seconds } s geantwortet; die Prüfungen werden wiederholt.

## confusable
finding-confusable-looks-like = { $name } kann mit { $original } verwechselt werden, { $what }: Nach Unicode TS #39 sehen ihre Buchstaben gleich aus. Verwenden Sie einen Namen, der ihn nicht nachahmt.
finding-confusable-protected = einer vom Anbieter reservierten Domain
finding-confusable-brand = der Domain einer bekannten Marke
finding-confusable-whole-script = In { $name } ist das Label „{ $label }“ in { $script }-Buchstaben geschrieben, die wie das lateinische „{ $latin }“ aussehen; der Name liest sich daher als „{ $whole }“. Verwenden Sie einen Namen, der nicht mit einem lateinischen verwechselt werden kann.
finding-confusable-mixed-scripts = In { $name } mischt das Label „{ $label }“ Buchstaben aus { $scripts }; so kann ein Name einen anderen nachahmen. Verwenden Sie je Label die Buchstaben einer Schrift (erlaubt sind nur chinesische, japanische oder koreanische Schrift, jeweils mit lateinischen Buchstaben).
finding-confusable-uncommon = In { $name } enthält das Label „{ $label }“ { $char }, ein Zeichen, das Unicode TS #39 für Namen nicht empfiehlt. Verwenden Sie gängige Buchstaben einer Schrift.
finding-confusable-no-letters = keinen Buchstaben

## mail-banner: was der SMTP-Server auf der eigenen Adresse des Kunden zuerst sagt
finding-mail-banner-nothing = Auf Port { $port } von { $ip } antwortet kein SMTP ({ $why }).
finding-mail-banner-no-connection = keine Verbindung innerhalb von { $seconds } s
finding-mail-banner-refused = Verbindung abgelehnt
finding-mail-banner-timed-out = Zeitüberschreitung beim Verbinden
finding-mail-banner-capped = Port { $port } von { $ip } hat { $cap } Oktette ohne Zeilenende gesendet: Das ist keine SMTP-Begrüßung (eine Antwortzeile hat höchstens { $cap }).
finding-mail-banner-silent = Port { $port } von { $ip } hat eine Verbindung angenommen, aber { $seconds } s lang nichts gesendet.
finding-mail-banner-closed = Port { $port } von { $ip } hat eine Verbindung angenommen und ohne Begrüßung geschlossen.
finding-mail-banner-unfinished = Port { $port } von { $ip } hat eine Begrüßung begonnen, aber die erste Zeile nicht beendet.
finding-mail-banner-unfinished-within = Port { $port } von { $ip } hat eine Begrüßung begonnen, aber die erste Zeile nicht innerhalb von { $seconds } s beendet.
finding-mail-banner-not-smtp = Port { $port } von { $ip } hat geantwortet, aber nicht mit einer SMTP-Begrüßung: "{ $greeting }".
finding-mail-banner-refuses = Der Mailserver auf Port { $port } von { $ip } lehnt Verbindungen ab: "{ $greeting }".
finding-mail-banner-no-name = Der Mailserver auf Port { $port } von { $ip } begrüßt ohne Namen ("{ $greeting }"); lassen Sie ihn als { $hostname } begrüßen.
finding-mail-banner-matches = Der Mailserver auf Port { $port } von { $ip } begrüßt als { $name }, passend zum PTR-Eintrag.
finding-mail-banner-other-name = Der Mailserver auf Port { $port } von { $ip } begrüßt als { $name }, nicht als { $hostname }: Die Begrüßung muss den PTR-Namen nennen.
finding-plain = { $text }

## domain-exists
finding-domain-not-a-name = { $domain } kann nicht nachgeschlagen werden: Es ist kein Domainname.
finding-domain-unverified = Ob { $domain } existiert, konnte nicht geprüft werden: { $reason }.
finding-domain-exists = { $domain } existiert (SOA gefunden bei { $at }).
finding-domain-exists-no-soa = { $domain } existiert (hat Einträge, aber keinen eigenen SOA, bei { $at }).
finding-domain-nxdomain = { $domain } existiert im DNS nicht (NXDOMAIN): Verwenden Sie eine eigene Domain.

## forward-confirmed
finding-forward-not-a-name = { $hostname } kann nicht nachgeschlagen werden: Es ist kein Domainname.
finding-forward-unverified = { $hostname } konnte nicht aufgelöst werden, um { $ip } zu prüfen: { $reason }.
finding-forward-nxdomain = { $hostname } existiert im DNS nicht (NXDOMAIN).
finding-forward-alias-nxdomain = { $hostname } ist ein Alias ({ $chain }), aber { $target } existiert im DNS nicht (NXDOMAIN).
finding-forward-cname-loop = { $hostname } hat eine CNAME-Schleife: { $chain }.
finding-forward-cname-long = { $hostname } hat eine CNAME-Kette mit mehr als { $max } Gliedern: { $chain } …
finding-forward-direct = {""}
finding-forward-via = { " " }(über CNAME { $chain })
finding-forward-via-nxdomain = { $hostname }{ $via } existiert im DNS nicht (NXDOMAIN).
finding-forward-confirmed = { $hostname } hat { $type } { $ip }{ $via }.
finding-forward-none = { $hostname }{ $via } hat keinen { $type }-Eintrag; legen Sie { $type } { $ip } an.
finding-forward-other = { $hostname }{ $via } hat { $type } { $found }, nicht { $ip }.
finding-forward-deadline = DNS hat diesen Namen vor Ablauf der Frist nicht bestätigt. Korrigieren Sie den Forward-Eintrag und speichern Sie erneut.

## Warum eine DNS-Frage unbeantwortet blieb (Satzende)
finding-reason-timeout = keine Antwort von { $servers } innerhalb von { $seconds } s
finding-reason-rcode = { $servers } hat mit { $rcode } geantwortet
finding-reason-failed = { $servers } konnte nicht gefragt werden ({ $error })

## delegation: die eigenen Nameserver des Kunden für eine an sie delegierte Zone
finding-delegation-no-answer = { $server } antwortet nicht für { $zone }: { $problem }. Richten Sie die Zone dort ein, bevor Sie delegieren.
finding-delegation-serials = Die Nameserver liefern unterschiedliche Versionen von { $zone } (Serials { $serials }): Bringen Sie sie zuerst in Übereinstimmung.
finding-delegation-agree = { $servers } antworten für { $zone } mit derselben Serial.
finding-delegation-not-a-name = er ist kein DNS-Name
finding-delegation-address-unknown = seine Adresse konnte nicht nachgeschlagen werden ({ $why })
finding-delegation-no-address = er hat keine Adresse (kein A- oder AAAA-Eintrag)
finding-delegation-timeout = keine Antwort innerhalb von { $seconds } s
finding-delegation-rcode = er hat mit { $rcode } geantwortet
finding-delegation-not-authoritative = seine Antwort ist nicht autoritativ (die Zone ist dort nicht geladen)
finding-delegation-no-soa = er hat keinen SOA-Eintrag für die Zone
