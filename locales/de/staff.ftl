# The staff pages: lookup and an address's dossier (/lookup), drift (/drift), the overview (/overview).

## Lookup (/lookup)
lookup-title = Suche
lookup-lead = Finden Sie, wem eine Adresse gehört und wie ihr PTR lautet. Geben Sie eine IP-Adresse ein (jede Adresse in einem Subnetz findet es), ein Netz wie 192.0.2.0/24, einen Teil eines Hostnamens, eine Kundennummer oder einen Kundennamen oder einen Servernamen.
lookup-search = Suchen
lookup-nothing-found = Nichts gefunden für „{ $q }“ (gelesen als { $understood }).
lookup-results-for = Ergebnisse für „{ $q }“ (gelesen als { $understood })
lookup-page = Seite { $page }
lookup-read-as-ip = IP-Adresse
lookup-read-as-network = Netz (CIDR)
lookup-read-as-number = Kundennummer (Namensteile brauchen mindestens 3 Zeichen)
lookup-read-as-text = Kunde, Server oder Hostname
lookup-too-long = { $problem } Kürzen Sie den Text und suchen Sie erneut.
lookup-col-kind = Art
lookup-col-matched = Treffer
lookup-col-dossier = Akte
lookup-kind-address = Adresse
lookup-kind-network = Netz
lookup-kind-customer = Kunde
lookup-kind-server = Server
lookup-kind-hostname = Hostname
lookup-open = { $ip } öffnen
lookup-capped = Nur die ersten { $count } Ergebnisse können angezeigt werden; grenzen Sie die Suche ein.

## One address (/lookup/ip/IP)
lookup-held-by = Zugewiesen an
lookup-on-server = auf Server
lookup-held-by-end = .
lookup-not-held = Keine Zuweisung enthält diese Adresse.
lookup-owner-entry = Inhaber und Eintrag
lookup-owner = Inhaber
lookup-not-assigned = Nicht zugewiesen
lookup-server = Server
lookup-assignment = Zuweisung
lookup-ptr-in-force = Geltender PTR
lookup-provider-default = Standardname des Providers
lookup-version-written = (Version { $version }, geschrieben { $at })
lookup-never-changed = (nie geändert)
lookup-reverification = Erneute Prüfung
lookup-drift = Abweichung
lookup-drift-since = seit { $since }, zuletzt geprüft { $checked }
lookup-no-drift = Keine Abweichung
lookup-no-default = Keiner (kein PTR, solange der Kunde keinen setzt)
lookup-open-change = Offene Änderung
lookup-state-published = veröffentlicht
lookup-state-pending = ausstehend
lookup-state-rejected = abgelehnt
lookup-state-in-review = in Freigabe
lookup-state-denied = nicht freigegeben
lookup-back-to-default = zurück zum Standardnamen
lookup-asked = angefragt { $at }
lookup-justification = Begründung des Kunden: { $text }
lookup-admin-note = Notiz des Admins: { $text }
lookup-none = Keine
lookup-dns-now = Was das DNS jetzt ausliefert
lookup-embedded-zone = Das DNS von ptrdesk (Zone
lookup-embedded-serial = , Seriennummer { $serial }) antwortet mit
lookup-embedded-nxdomain = keinem PTR (NXDOMAIN)
lookup-no-public = Für diese Zone ist kein Status öffentlicher Nameserver erfasst.
lookup-col-public-server = Öffentlicher Nameserver
lookup-col-serial = Ausgelieferte Seriennummer
lookup-col-this-entry = Dieser Eintrag
lookup-col-asked = Abgefragt
lookup-no-answer = keine Antwort
lookup-serves-it = Liefert ihn aus
lookup-not-yet = Noch nicht
lookup-no-zone = Das DNS von ptrdesk liefert für diese Adresse keine Zone aus (DNS-Veröffentlichung ist aus, oder die Zone wurde noch nicht abgeglichen).
lookup-last-findings = Letzte Befunde
lookup-change-of = Änderung vom { $at } für
lookup-the-default = den Standardnamen
lookup-superseded = (durch eine neuere Anfrage ersetzt)
lookup-all-passed = Alle Prüfungen bestanden.
lookup-never-asked = Für diese Adresse wurde nie eine Änderung angefragt.
lookup-run = Prüfungen jetzt ausführen
lookup-run-hint = Führt jede Prüfung gegen das Live-DNS aus und zeigt die Befunde. Es wird nichts gespeichert.
lookup-hostname = Hostname
lookup-findings-for = Befunde für
lookup-findings-for-after = jetzt:
lookup-mail = Mail-Tauglichkeit
lookup-mail-hint = Ob Empfänger Mail von dieser Adresse vertrauen: PTR, Forward-Eintrag, MX, SPF und DMARC der Domain des PTR, Wert für generische Namen und die konfigurierten Sperrlisten. Die SMTP-Begrüßung wird nur auf Anfrage getestet.
lookup-mail-check = Mail-Tauglichkeit prüfen
lookup-mail-only-assigned = Nur eine zugewiesene Adresse wird geprüft.
lookup-history = Verlauf
lookup-history-none = Für diese Adresse ist nichts aufgezeichnet.
lookup-col-when = Wann
lookup-col-who = Wer
lookup-col-door = Zugang
lookup-col-what = Was
lookup-col-before = Vorher
lookup-col-after = Nachher

## Drift (/drift)
drift-title = Abweichung
drift-lead = Veröffentlichte PTR-Einträge, die ihre Prüfungen beim Speichern bestanden haben, bei der erneuten Prüfung aber nicht mehr — der Forward-Eintrag wurde geändert, die Domain ist ausgelaufen. Sie bleiben veröffentlicht: ptrdesk ändert nie von sich aus den PTR eines Kunden. Der Kunde wird informiert; sobald das DNS korrigiert ist, verschwindet die Abweichung bei der nächsten Prüfung. Längste Abweichung zuerst.
drift-failing-check = Fehlschlagende Prüfung
drift-any-check = Jede Prüfung
drift-older-than = Abweichend seit mehr als
drift-no-match = Kein abweichender PTR passt zu diesem Filter.
drift-none = Keine Abweichung: Jeder veröffentlichte PTR hat bei der letzten erneuten Prüfung seine Prüfungen bestanden.
drift-summary = { $count ->
    [one] { $count } abweichender PTR
   *[other] { $count } abweichende PTRs
}
drift-col-for = Seit
drift-col-fails = Was jetzt fehlschlägt
drift-col-last-checked = Zuletzt geprüft
drift-since = seit { $at }

## Overview (/overview)
overview-title = Übersicht
overview-lead = Wie Anfragen, Freigaben und veröffentlichte PTRs in den letzten 14 Tagen verliefen (Tage in UTC).
overview-waiting = warten auf Freigabe
overview-drifting = veröffentlichte PTRs weichen ab
overview-the-numbers = Die Zahlen
overview-day-utc = Tag (UTC)
overview-changes-title = Änderungen pro Tag nach Ergebnis
overview-drift-title = Begonnene und beendete Abweichungen pro Tag
overview-queue-title = Freigaben nach Alter
overview-series-published = Veröffentlicht
overview-series-pending = Ausstehend
overview-series-rejected = Abgelehnt
overview-series-denied = Nicht freigegeben
overview-series-began = Begonnen
overview-series-ended = Beendet
overview-series-average = Durchschnitt
overview-age-under-a-day = Unter einem Tag
overview-age-1-to-3-days = 1 bis 3 Tage
overview-age-3-to-7-days = 3 bis 7 Tage
overview-age-a-week = Eine Woche oder mehr
overview-seconds = { $seconds } s
overview-minutes = { $minutes } min
overview-hours = { $hours } Std.
# The decimal point of "1.5 h".
overview-decimal-point = ,
