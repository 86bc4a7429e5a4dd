# Die Seiten des Kunden: Reverse-DNS (/ips), Sammeländerungen, API-Zugang, Mail-Tauglichkeit;
# die Teile, die jede Seite gleich zeichnet (Befunde, Seitenwechsel, ein einmal gezeigtes Geheimnis).

## Reverse-DNS (/ips)
ips-title = Reverse-DNS
ips-lead = Legen Sie den Hostnamen (PTR-Eintrag) fest, auf den jede Ihrer IP-Adressen zurückzeigt. Mailserver erwarten den Namen, mit dem sich Ihr Server meldet, und dieser Name sollte per Forward-Eintrag auf dieselbe IP-Adresse zeigen.
ips-bulk-link = Viele auf einmal ändern (CSV)
ips-nothing-saved = Es wurde nichts gespeichert. { $problem }
ips-filter-server-name = Servername enthält
ips-filter-server = Server
ips-filter-all-servers = Alle Server
ips-filter-ip = IP-Adresse oder Netz
ips-filter-ip-placeholder = 192.0.2.10 oder 2001:db8::/64
ips-filter-hostname = Hostname enthält
ips-filter = Filtern
ips-filter-clear = Zurücksetzen
ips-none-match = Keine IP-Adresse passt zu diesem Filter.
ips-show-all = Alle anzeigen
ips-none-yet = Sie haben noch keine IP-Adressen. Sie erscheinen hier, sobald Ihr Anbieter sie einem Ihrer Server zuweist.
ips-assignments = { $count ->
    [one] { $shown } Zuweisung
   *[other] { $shown } Zuweisungen
}
ips-page-of = Seite { $page } von { $pages }
ips-server = Server
ips-server-mail = Mail-Tauglichkeit aller Adressen von { $server }
ips-delegated-note = Die PTR-Einträge von { $network } liefern Ihre eigenen Nameserver (unten); pflegen Sie sie dort.
ips-subnet-empty = In diesem Subnetz gibt es noch keine PTR-Einträge.
ips-subnet-truncated = Es gibt weitere Einträge; filtern Sie nach IP-Adresse, um einen zu finden.
ips-add-address = Adresse in { $network }
ips-add-address-placeholder = eine beliebige Adresse in { $network }
ips-add-hostname = Hostname
ips-add = PTR hinzufügen
ips-delegation-title = Ihre eigenen Nameserver
ips-delegated-to = Delegiert an
ips-delegated-zone = : Diese liefern die Zone
ips-delegated-end = .
ips-delegation-end = Delegierung beenden
ips-delegation-hint-before = Richten Sie die Zone
ips-delegation-hint-after = auf mindestens zwei Ihrer Nameserver ein und nennen Sie diese hier. ptrdesk prüft vor der Delegierung, ob jeder für die Zone antwortet.
ips-name-server = Nameserver { $number }
ips-name-server-optional = Nameserver { $number } (optional)
ips-delegate = Delegieren

## Die Zeile einer Adresse
row-admin-note = Notiz des Admins: { $note }
row-in-force = Derzeit gültig: { $name }
row-default-in-use = Standardname des Anbieters aktiv
row-no-ptr = Kein PTR gesetzt
row-drift = Abweichung
row-drift-note = { $message } — seit { $since }. Ihr PTR-Eintrag bleibt veröffentlicht; beheben Sie das DNS-Problem, dann verschwindet der Hinweis bei der nächsten Prüfung.
row-mail-readiness = Mail-Tauglichkeit
row-mail-readiness-of = Mail-Tauglichkeit von { $ip }
row-save = Speichern
row-test-mail = Mail testen
row-test-mail-title = Mit Port 25 von { $ip } verbinden und die Begrüßung des Servers mit diesem Namen vergleichen
row-reset = Auf Standardname zurücksetzen
row-remove = Entfernen
row-ask-review = Freigabe anfragen
row-review-hint = Sind Sie trotz der Befunde sicher, dass dieser Name für { $ip } richtig ist? Begründen Sie es; ein Admin entscheidet, und Sie sehen die Antwort hier.
row-justification = Begründung

## Die Live-Prüfung unter einem Feld
live-all-passed = Alle Prüfungen bestanden.
live-checking = DNS wird geprüft …

## Sammeländerungen (/bulk)
bulk-title = Sammeländerungen
bulk-lead-format = Viele PTR-Einträge auf einmal ändern: eine Zeile je Adresse,
bulk-lead-empty = Lassen Sie den Hostnamen leer
bulk-lead-default = um zum Standardnamen des Anbieters zurückzukehren.
bulk-lead-check = zeigt, was aus jeder Zeile würde, ohne etwas zu speichern;
bulk-lead-apply = speichert sie.
bulk-back = Zurück zu Reverse-DNS
bulk-check = Prüfen
bulk-apply = Übernehmen
bulk-lines = Zeilen
bulk-lines-hint = CSV: ip,hostname — höchstens { $max }
bulk-file = Oder eine CSV-Datei in das Feld laden
bulk-atomic = Alles oder nichts: keine Zeile übernehmen, wenn nicht jede Zeile übernommen werden kann (eine Zeile, die die Prüfungen ablehnen, zählt als nicht übernehmbar)
bulk-col-line = Zeile
bulk-col-ip = IP-Adresse
bulk-col-hostname = Hostname
bulk-col-result = Ergebnis
bulk-col-findings = Befunde

## API-Zugang (/api-credentials)
credentials-title = API-Zugang
credentials-lead = Skripte und Werkzeuge verwalten Ihre PTR-Einträge mit diesen Zugangsdaten über die Robot-kompatible API: Clients für den rDNS-Webservice des Hetzner Robot funktionieren, wenn Sie nur ihre Basis-URL ändern. Alle API-Zugangsdaten haben einen eigenen Benutzernamen und ein eigenes Geheimnis; widerrufen Sie sie, ist sofort Schluss für alles, was sie verwendet.
credentials-created = Ihre neuen API-Zugangsdaten „{ $label }“
credentials-secret-hash = ptrdesk speichert nur einen Hash davon. Geht es verloren, widerrufen Sie diese Zugangsdaten und legen Sie neue an.
credentials-create-title = API-Zugangsdaten anlegen
credentials-name = Name
credentials-name-placeholder = z. B. Deploy-Skript auf web-1
credentials-create = Zugangsdaten anlegen
credentials-yours = Ihre API-Zugangsdaten
credentials-none = Noch keine API-Zugangsdaten.
credentials-col-created = Angelegt
credentials-col-last-used = Zuletzt verwendet
credentials-col-status = Status
credentials-col-actions = Aktionen
credentials-never = Nie
credentials-revoked = Widerrufen
credentials-active = Aktiv
credentials-revoke = Widerrufen
credentials-revoke-label = { $label } ({ $username }) widerrufen
credentials-howto-title = Die API verwenden
credentials-howto-auth = HTTP-Basic-Authentifizierung mit Benutzername und Geheimnis der Zugangsdaten; senden Sie
credentials-howto-form = formularkodiert; Antworten sind JSON.
credentials-howto-refused = Einen Namen, den die Prüfungen ablehnen, weist die API mit
credentials-howto-findings = und den Befunden ab;
credentials-howto-pending = ein Name, der auf DNS wartet, antwortet mit
credentials-howto-published = und wird veröffentlicht, sobald DNS ihn bestätigt.
credentials-example-all = alle PTR-Einträge, die Sie gesetzt haben
credentials-example-one = der PTR-Eintrag einer Adresse
credentials-example-set = setzen oder ändern
credentials-example-default = zurück zum Standardnamen des Anbieters
credentials-limits-rate = Grenzen: { $requests } Anfragen je { $seconds } Sekunden für alle Ihre Zugangsdaten zusammen;
credentials-limits-logins = nach { $failures } fehlgeschlagenen Anmeldungen von einer Adresse ist diese Adresse { $minutes } Minuten gesperrt.

## Ein einmal gezeigtes Geheimnis
secret-copy-now = Kopieren Sie das Geheimnis jetzt: Es wird nicht noch einmal angezeigt.
secret-kept = ptrdesk speichert nur, was es zur Prüfung braucht. Geht es verloren, erzeugen Sie ein neues.
secret-user-name = Benutzername
secret-secret = Geheimnis

## Mail-Tauglichkeit (/ips/…/mail, /servers/…/mail)
mail-server-link = Alle Adressen des Servers { $server }
mail-lead = Ob Mailserver E-Mails von { $count ->
        [one] dieser Adresse
       *[other] diesen Adressen
    } vertrauen: der PTR-Eintrag, der Forward-Eintrag, die SMTP-Begrüßung, MX, SPF und DMARC der Domain, wie generiert der Name aussieht. Die Begrüßung wird nur auf Ihren Wunsch getestet.
mail-lead-blocklists = Ob Mailserver E-Mails von { $count ->
        [one] dieser Adresse
       *[other] diesen Adressen
    } vertrauen: der PTR-Eintrag, der Forward-Eintrag, die SMTP-Begrüßung, MX, SPF und DMARC der Domain, wie generiert der Name aussieht, und die Sperrlisten { $zones }. Die Begrüßung wird nur auf Ihren Wunsch getestet.
mail-at-a-glance = Auf einen Blick
mail-col-address = Adresse
mail-col-ptr = Gültiger PTR
mail-col-verdict = Urteil
mail-no-ptr = keiner
mail-none = Noch keine Adresse dieses Servers zu prüfen: Einzeladressen und kleine IPv4-Subnetze stehen vollständig in der Liste; Adressen eines IPv6-Subnetzes erscheinen hier, sobald sie einen PTR-Eintrag haben.
mail-more = Weitere Adressen
mail-more-hint = Diese Seite prüft die ersten { $count } Adressen des Servers. Öffnen Sie die übrigen einzeln:
readiness-fix = Lösung:
readiness-caption = Mail-Prüfungen von { $ip }
readiness-col-check = Prüfung
readiness-col-result = Ergebnis
readiness-col-found = Was gefunden wurde
readiness-test = Begrüßung testen
readiness-test-again = Begrüßung erneut testen
readiness-blocklist = Sperrliste
readiness-cached = Antwort aus einer früheren Prüfung
readiness-asked = { $name } A abgefragt

## Teile jeder Seite: Befunde, Seitenwechsel
ui-severity = { $severity ->
    [info] Hinweis
    [warning] Warnung
    [unverified] nicht geprüft
   *[error] Fehler
}
ui-in-dns = im DNS:
ui-pages = Seiten
ui-previous = Zurück
ui-next = Weiter
ui-page = Seite { $page }
ui-page-of = Seite { $page } von { $pages }

## Was ein Formular der Reverse-DNS-Seite antwortet
ips-missing-version = Dem Formular fehlt die Version des Eintrags; laden Sie die Seite neu.
ips-enter-hostname = Geben Sie einen Hostnamen ein oder verwenden Sie „Auf Standardname zurücksetzen“.
ips-the-default = den Standardnamen des Anbieters
ips-conflict = Jemand anderes hat diesen PTR-Eintrag während Ihrer Bearbeitung auf { $now } geändert. Prüfen Sie ihn und speichern Sie erneut, um ihn zu ersetzen.
ips-note = Hinweis: { $note }
ips-published = Der PTR-Eintrag von { $ip } ist jetzt { $name }.
ips-back-to-default = { $ip } verwendet wieder den Standardnamen des Anbieters.
ips-removed = Der PTR-Eintrag von { $ip } wurde entfernt.
ips-pending = { $name } für { $ip } wartet auf DNS und wird automatisch erneut geprüft; der bisherige PTR-Eintrag bleibt, bis die Prüfung besteht.
ips-rejected = { $name } wurde für { $ip } nicht veröffentlicht: Die Gründe stehen neben dem Feld.
ips-unchanged = Nichts zu speichern: { $ip } hat diesen PTR-Eintrag bereits.
ips-add-conflict = Jemand anderes hat diesen PTR-Eintrag im selben Moment gesetzt; prüfen Sie die Liste und versuchen Sie es erneut.
ips-add-not-an-address = Geben Sie eine vollständige IP-Adresse in diesem Subnetz ein, z. B. 2001:db8::25.
ips-add-outside = Diese Adresse liegt nicht in diesem Subnetz.
readiness-status = { $status ->
    [pass] OK
    [warning] Warnung
    [fail] Problem
    [unverified] Keine Antwort
   *[not-checked] Nicht getestet
}
readiness-listing = { $status ->
    [pass] Nicht gelistet
    [fail] Gelistet
   *[unverified] Keine Antwort
}
readiness-check-ptr = Gültiger PTR
readiness-check-forward = Forward-bestätigt
readiness-check-greeting = SMTP-Begrüßung
readiness-check-mx = MX der Domain
readiness-check-spf = SPF der Domain
readiness-check-dmarc = DMARC der Domain
readiness-check-generic = Bewertung „generischer Name“
mail-heading-address = Mail-Tauglichkeit von { $ip }
mail-heading-server = Mail-Tauglichkeit des Servers { $server }
mail-refused = Sie haben in kurzer Zeit viele Prüfungen gestartet; diesmal wurde nichts geprüft. Versuchen Sie es in { $seconds } s erneut.

## Wo eine offene Änderung steht (der Kasten der Zeile)
open-pending = Wartet auf DNS. Wird bis { $until } automatisch erneut geprüft; der bisherige PTR-Eintrag bleibt bis dahin.
open-its-deadline = zum Fristende
open-rejected = Nicht veröffentlicht: Beheben Sie, was unten steht, und speichern Sie erneut, oder fragen Sie bei einem Admin eine Freigabe an.
open-in-review = Wartet auf die Entscheidung eines Admins.
open-denied = Von einem Admin abgelehnt. Sie können einen anderen Namen anfragen.
open-state = { $state ->
    [pending] Ausstehend
    [rejected] Abgelehnt
    [in-review] In Freigabe
    [denied] Abgelehnt
   *[published] Veröffentlicht
}
row-in-force-none = kein PTR
row-dns-live = { $count ->
    [one] Aktiv auf dem öffentlichen Nameserver
   *[other] Aktiv auf allen { $count } öffentlichen Nameservern
}
row-dns-waiting = Wird veröffentlicht: noch nicht geliefert von { $servers }

## Die Ablehnungen der Live-Prüfung
live-refused-dns = Zu viele Prüfungen in kurzer Zeit — warten Sie { $seconds } { $seconds ->
        [one] Sekunde
       *[other] Sekunden
    }; dieser Name wurde nicht gegen DNS geprüft. Beim Speichern wird er vollständig geprüft.
live-refused-mail = Zu viele Prüfungen in kurzer Zeit — warten Sie { $seconds } { $seconds ->
        [one] Sekunde
       *[other] Sekunden
    }; der Mailserver wurde nicht gefragt. Beim Speichern wird vollständig geprüft.

## Sammeländerungen: was eine Prüfung oder Übernahme antwortet
bulk-applied = { $count } { $count ->
        [one] Zeile
       *[other] Zeilen
    } übernommen: { $published } veröffentlicht, { $pending } ausstehend, { $rejected } abgelehnt, { $unchanged } unverändert. Ausstehende und abgelehnte Änderungen stehen mit ihren Gründen auf der Reverse-DNS-Seite.
bulk-checked = { $count } { $count ->
        [one] Zeile
       *[other] Zeilen
    } geprüft; nichts wurde gespeichert. Eine Übernahme ergäbe: { $published } veröffentlicht, { $pending } ausstehend, { $rejected } abgelehnt, { $unchanged } unverändert.
bulk-problem-checked = { $failed } von { $total } { $total ->
        [one] Zeile
       *[other] Zeilen
    } können nicht übernommen werden; siehe unten. Nichts wurde gespeichert.
bulk-problem-atomic = Nichts wurde übernommen: { $failed } von { $total } { $total ->
        [one] Zeile
       *[other] Zeilen
    } können nicht übernommen werden, und „Alles oder nichts“ war gewählt. Beheben Sie sie (oder entfernen Sie den Haken bei „Alles oder nichts“) und übernehmen Sie erneut.
bulk-problem-applied = { $applied } von { $total } { $total ->
        [one] Zeile
       *[other] Zeilen
    } übernommen; { $failed ->
        [one] die unten markierte Zeile nicht
       *[other] die { $failed } unten markierten Zeilen nicht
    }.
bulk-provider-default = Standardname des Anbieters
bulk-cannot-apply = Nicht übernehmbar
bulk-not-applied = Nicht übernommen
bulk-unchanged = Unverändert
bulk-state = { $state ->
    [published] Veröffentlicht
    [pending] Ausstehend
    [rejected] Abgelehnt
    [in-review] In Freigabe
   *[denied] Abgelehnt
}
bulk-would-be = { $state ->
    [published] Würde veröffentlicht
    [pending] Würde ausstehen
    [rejected] Würde abgelehnt
    [in-review] Käme in die Freigabe
   *[denied] Würde abgelehnt
}
csv-open-quote = In dieser Zeile ist ein Anführungszeichen nicht geschlossen.
csv-reset-hint = Erwartet wird „ip,hostname“; um { $ip } auf den Standardnamen zurückzusetzen, schreiben Sie „{ $ip },“.
csv-expected = Erwartet wird „ip,hostname“.
csv-field-count = Erwartet werden zwei Felder „ip,hostname“, gefunden: { $count }.
csv-empty = Fügen Sie mindestens eine Zeile „ip,hostname“ ein.
csv-too-many = { $lines } Zeilen sind mehr als die { $max } Änderungen, die ein Stapel enthalten darf; teilen Sie die Datei auf.

## API-Zugang: die Antworten des Formulars
credentials-name-missing = Benennen Sie die Zugangsdaten, z. B. nach dem Skript oder Server, der sie verwendet.
credentials-name-too-long = Verwenden Sie höchstens { $max } Zeichen.
credentials-too-many = Sie haben bereits { $max } aktive API-Zugangsdaten, das erlaubte Maximum. Widerrufen Sie welche, die Sie nicht mehr brauchen, und legen Sie diese dann an.
credentials-revoked-now = „{ $label }“ ({ $username }) ist widerrufen: Anfragen damit werden ab sofort abgewiesen.
credentials-revoked-already = „{ $label }“ ({ $username }) war bereits widerrufen.

## Delegierung
delegation-done = Delegiert an { $nameservers }: Setzen Sie die PTR-Einträge dieses Blocks jetzt auf diesen Nameservern.
delegation-ended = Die Delegierung ist beendet: ptrdesk liefert die PTR-Einträge dieses Blocks wieder selbst.
delegation-not-delegated = Dieser Block war nicht delegiert; nichts wurde geändert.
delegation-not-allowed = Die Delegierung ist für diese Zuweisung nicht freigeschaltet; bitten Sie Ihren Anbieter darum.
delegation-count = Nennen Sie mindestens zwei Nameserver (und höchstens { $max }).
delegation-not-a-hostname = { $name } ist kein Hostname: { $reason }
delegation-not-ready = Die Nameserver sind für die Delegierung nicht bereit.
ips-kind-v4-address = IPv4-Adresse
ips-kind-v4-subnet = IPv4-Subnetz
ips-kind-v6-subnet = IPv6-Subnetz
