# The review queue (/admin/review) and one change under review (/admin/review/ID).

review-queue-title = Freigaben
review-queue-lead = Angefragte PTR-Einträge, die wegen eines Fehlerbefunds nicht veröffentlicht wurden, die ältesten zuerst. Öffnen Sie einen, um den Grund zu sehen, führen Sie die Prüfungen erneut aus und geben Sie ihn frei (trotz der Befunde veröffentlichen) oder lehnen Sie ihn ab. Der Kunde sieht Ihre Notiz. PTR-Einträge, die ihre Prüfungen seit Langem nicht bestehen (Abweichung), stehen hier ebenfalls.
review-filter-left-out = Dieser Filter wurde nicht angewendet.
review-filter-finding = Befund
review-filter-any-finding = Jeder Befund
review-filter-customer = Kundenname oder -nummer
review-filter-customer-placeholder = K10001 oder Demo Hosting
review-filter-older-than = Älter als
review-filter-age-placeholder = 12h oder 3d
review-filter-age-hint = Stunden (h) oder Tage (d).
review-filter-button = Filtern
review-filter-clear = Zurücksetzen
review-filter-no-such-check = Es gibt keine Prüfung namens „{ $name }“.
review-filter-age-problem = Geben Sie das Alter in Stunden oder Tagen an, z. B. 12h oder 3d.
review-queue-no-match = Keine Änderung in den Freigaben passt zu diesem Filter.
review-show-all = Alle anzeigen
review-queue-empty = Keine Freigaben offen: Kein angefragter PTR wartet auf eine Entscheidung.
review-queue-summary = { $count ->
    [one] { $count } Änderung wartet
   *[other] { $count } Änderungen warten
}
review-page-of = Seite { $page } von { $pages }
review-col-age = Alter
review-col-customer = Kunde
review-col-requested = Angefragter Name
review-col-state = Status
review-col-findings = Befunde
review-col-justification = Begründung
review-requested-at = angefragt { $at }
review-in-dns = im DNS:
review-none-yet = noch keine
review-state-rejected = Abgelehnt
review-state-in-review = In Freigabe
review-state-pending = Ausstehend
review-state-denied = Nicht freigegeben
review-state-published = Veröffentlicht
review-age-now = gerade eben
review-age-minutes = { $minutes } Min.
review-age-hours = { $hours } Std.
review-age-days = { $days } T.
review-age-days-hours = { $days } T. { $hours } Std.
review-ago = vor { $age }

## One change (/admin/review/ID)
review-detail-title = Freigabe { $name }
review-back = Zurück zu den Freigaben
review-detail-requested-for = Angefragt für
review-detail-lead = von { $customer }, Server { $server } ({ $network }),
review-nothing-decided = Es wurde nichts entschieden.
review-ptr-in-force = Geltender PTR
review-in-force-default = { $name } (Standardname des Providers)
review-no-ptr = kein PTR
review-requested = Angefragt
review-justification = Begründung des Kunden
review-not-asked = Der Kunde hat keine Freigabe angefragt; Sie können trotzdem entscheiden.
review-last-checked = Zuletzt geprüft { $at }.
review-no-findings = Keine Befunde.
review-recheck = Prüfungen jetzt erneut ausführen
review-decision = Entscheidung
review-note = Notiz an den Kunden (erforderlich)
review-approve = Freigeben
review-deny = Ablehnen
review-decision-hint = Freigeben veröffentlicht { $name } für { $ip } trotz der Befunde; Ablehnen lässt { $in_force } in Kraft. In beiden Fällen sieht der Kunde Ihre Notiz.
review-history-of = Verlauf von { $ip }
review-history-none = Noch nichts aufgezeichnet.
review-col-when = Wann
review-col-who = Wer
review-col-door = Zugang
review-col-what = Was
review-col-before = Vorher
review-col-after = Nachher

## Flash messages after a decision or a new check
review-nothing-changed = Es wurde nichts geändert: { $error }.
review-nothing-changed-conflict = Es wurde nichts geändert: { $error }. Sehen Sie sich den geltenden PTR an und entscheiden Sie erneut.
review-the-provider-default = der Standardname des Providers
review-the-requested-name = der angefragte Name
review-its-address = seine Adresse
review-approved = Freigegeben: { $name } ist jetzt der PTR von { $ip }.
review-denied = Nicht freigegeben: { $name } für { $ip } bleibt unveröffentlicht. Der Kunde sieht Ihre Notiz neben der Adresse.
review-rechecked = { $count ->
    [0] Erneut geprüft: jetzt kein Fehler. Die Änderung wartet weiter auf Ihre Entscheidung; geben Sie sie frei, um sie zu veröffentlichen.
    [one] Erneut geprüft: 1 Fehler bleibt. Die Befunde unten sind die neuen.
   *[other] Erneut geprüft: { $count } Fehler bleiben. Die Befunde unten sind die neuen.
}
