# Fehler neben einem Formularfeld (und die Zusammenfassung des Imports).

## Felder, wie ein Satz sie an seinem Anfang nennt.
form-field-justification = Die Begründung
form-field-note = Die Notiz
form-field-network = Das Netz
form-field-address = Die Adresse
form-field-nameserver = Ein Nameserver
form-field-search = Der Suchtext
form-field-username = Der Benutzername
form-field-password = Das Passwort
form-field-customer-number = Die Kundennummer
form-field-customer-name = Der Kundenname
form-field-server-name = Der Servername
form-field-back = Die Rücksprungadresse des Formulars
form-field-server-filter = Der Serverfilter
form-field-address-filter = Der Adressfilter
form-field-hostname-filter = Der Hostname-Filter
form-field-customer-filter = Der Kundenfilter
form-field-ip-filter = Der IP-Filter
form-field-actor-filter = Der Filter „Wer“
form-field-door-filter = Der Filter „Zugang“
form-field-from = Das Von-Datum
form-field-to = Das Bis-Datum
form-field-check-filter = Der Prüfungsfilter
form-field-age-filter = Der Altersfilter

## Längen.
form-too-long = { $field } hat { $length } Zeichen; erlaubt sind höchstens { $max }.
form-search-too-long = { $problem } Kürzen Sie den Text und suchen Sie erneut.
form-back-too-long = { $problem } Laden Sie die Seite neu und versuchen Sie es noch einmal; es wurde nichts gespeichert.
form-csv-line-too-long = Zeile { $line } hat { $length } Zeichen; eine Zeile hat höchstens { $max }.

## Netze, wie eingegeben.
form-network-unparsable = „{ $given }“ ist keine IP-Adresse und kein Netz (z. B. 192.0.2.10, 192.0.2.16/29, 2001:db8::/64).
form-network-host-bits = „{ $given }“ ist nicht der Anfang seines Netzes; meinten Sie { $suggested }?
form-network-ipv4-mapped = „{ $given }“ umfasst IPv4-gemappte Adressen (::ffff:0:0/96), also IPv4-Adressen; weisen Sie stattdessen die IPv4-Adressen zu.

## Server und Zuweisungen.
form-server-exists = Dieser Kunde hat bereits einen Server mit diesem Namen.
form-overlaps-existing = { $network } überschneidet sich mit der bestehenden Zuweisung { $existing }.
form-overlaps-concurrent = { $network } überschneidet sich mit einer Zuweisung, die im selben Moment angelegt wurde.
form-move-no-customer = Es gibt keinen Kunden mit dieser Nummer.
form-move-no-server-name = Geben Sie den Namen des Servers ein, auf den die Zuweisung verschoben werden soll.
form-move-no-such-server = Dieser Kunde hat keinen Server mit diesem Namen; legen Sie ihn zuerst an.
form-move-same-server = Die Zuweisung liegt bereits auf diesem Server.
form-has-entries = { $network } hat { $count ->
    [one] eine Adresse
   *[other] { $count } Adressen
} mit eigenem PTR-Eintrag oder offener Änderung. Mit „Zurücksetzen und entfernen“ setzen Sie diese auf den Standardnamen zurück und entfernen die Zuweisung.
form-not-delegable-zone = { $network } ist eine ganze Reverse-Zone ({ $zone }) oder mehr: Sie wird von der übergeordneten Zone (Ihrer RIR) delegiert, nicht von ptrdesk
form-not-delegable-unaligned = { $network } kann nicht delegiert werden: IPv4-Blöcke werden als /25 bis /32 innerhalb eines /24 oder an einer Oktettgrenze (/16, /24) delegiert, IPv6-Präfixe an einer Nibble-Grenze (ein Vielfaches von 4)

## Konten, Zugangsdaten, Webhooks, Anmeldung.
form-username = Geben Sie einen Benutzernamen ohne Leerzeichen ein (höchstens { $max } Zeichen).
form-password-too-short = Das Passwort hat { $length } Zeichen; nötig sind mindestens { $min }.
form-password-too-long = Das Passwort hat { $length } Zeichen; erlaubt sind höchstens { $max }.
form-username-taken = Dieser Benutzername ist bereits vergeben.
form-credential-label = Geben Sie an, wofür die Zugangsdaten sind (höchstens { $max } Zeichen).
form-webhook-url = Geben Sie die URL des Empfängers ein, beginnend mit https:// (oder http:// innerhalb Ihres Netzes).
form-webhook-no-event = Wählen Sie mindestens ein Ereignis.
form-webhook-secret = Das Geheimnis hat höchstens { $max } Zeichen.
form-sign-in-provider-unreachable = { $provider } ist gerade nicht erreichbar. Versuchen Sie es in einer Minute erneut.

## Freigabeschritte.
form-review-not-found = diese Änderung gibt es nicht
form-review-wrong-state = diese Änderung ist { $state ->
    [published] veröffentlicht
    [pending] ausstehend
    [rejected] abgelehnt
    [in-review] in Freigabe
    [denied] endgültig abgelehnt
   *[other] { $state }
} und kann diesen Schritt nicht durchlaufen
form-review-justification-required = Begründen Sie, warum dieser Name zu dieser Adresse passt, damit ein Admin entscheiden kann.
form-review-note-required = Eine Notiz ist nötig: Der Kunde sieht sie neben seinem Eintrag.
form-review-no-longer-held = diese Adresse gehört nicht mehr dem Kunden, der gefragt hat; die Änderung wurde geschlossen
form-review-conflict = jemand anderes hat diesen PTR-Eintrag inzwischen geändert
form-review-database = Datenbankfehler
form-review-requested = Ihre Freigabeanfrage wurde gesendet. Ein Admin entscheidet; die Antwort erscheint neben der Adresse.
form-review-nothing-sent = Es wurde nichts gesendet: { $error }.

## Der CSV-Import von Zuweisungen.
form-import-summary = { $assignments ->
    [one] eine Zuweisung
   *[other] { $assignments } Zuweisungen
} importiert; { $customers ->
    [one] ein Kunde
   *[other] { $customers } Kunden
} und { $servers ->
    [one] ein Server
   *[other] { $servers } Server
} angelegt
form-import-not-csv = kann nicht als CSV gelesen werden: { $error }
form-import-field-count = erwartet 4 Felder (customer_number,customer_name,server,network), gefunden { $found }
form-import-empty-fields = Kundennummer und Servername dürfen nicht leer sein
form-import-overlaps = { $network } überschneidet sich mit { $earlier } in Zeile { $line }
form-import-overlaps-existing = { $network } überschneidet sich mit der bestehenden Zuweisung { $existing }
form-import-overlaps-assignment = { $network } überschneidet sich mit der Zuweisung { $existing }
form-import-overlaps-concurrent = { $network } überschneidet sich mit einer Zuweisung, die im selben Moment angelegt wurde

## Anmeldung über den Identitätsanbieter.
form-oidc-unknown-role = Ihr Konto beim Anmeldedienst hat die Rolle „{ $role }“, die ptrdesk nicht kennt (customer, admin oder helpdesk).
form-oidc-no-customer-number = Ihr Konto beim Anmeldedienst nennt keine Kundennummer, daher weiß ptrdesk nicht, wessen Server es zeigen soll. Bitten Sie den Support Ihres Anbieters, Ihr Konto mit Ihrer Kundennummer zu verknüpfen.
form-oidc-unknown-customer = Ihr Konto beim Anmeldedienst nennt die Kundennummer „{ $number }“, die ptrdesk nicht kennt. Bitten Sie den Support Ihres Anbieters, sie zu prüfen.
form-oidc-disabled = Ihr ptrdesk-Konto ist deaktiviert. Wenden Sie sich an den Support Ihres Anbieters.

## Sammeländerungen.
form-bulk-line-too-long = { $problem } Jede Zeile ist eine Adresse, ein Komma und ein Hostname. Es wurde nichts geprüft oder gespeichert.
