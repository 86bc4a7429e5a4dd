# Die Ansicht der Admins auf den Postausgang der Benachrichtigungen (/admin/mail).
mail-outbox-title = Benachrichtigungs-Mails
mail-outbox-tab = Mails
mail-outbox-lead = Jede Mail, die ptrdesk für Kunden und Admins eingereiht hat, die neueste zuerst, mit ihren Zustellversuchen. Eine Mail, die der SMTP-Server nicht annimmt, wird 24 Stunden lang mit wachsenden Pausen erneut versucht und dann aufgegeben; senden Sie sie hier erneut, sobald die Ursache behoben ist.
mail-outbox-off = Mails sind auf diesem Knoten aus: smtp_url ist nicht gesetzt, eingereihte Mails warten hier ungesendet.
mail-outbox-unknown-state = Diesen Zustand gibt es nicht; alle Mails werden gezeigt.
mail-outbox-state = Zustand
mail-outbox-any-state = Jeder Zustand
mail-outbox-filter = Filtern
mail-outbox-clear = Zurücksetzen
mail-outbox-none = Noch keine Mail eingereiht.
mail-outbox-none-in-state = Keine Mail in diesem Zustand.
mail-outbox-show-all = Alle zeigen
mail-outbox-count = { $count ->
    [one] 1 Mail
   *[other] { $count } Mails
}
mail-outbox-page = Seite { $page } von { $pages }
mail-outbox-recipient = Empfänger
mail-outbox-kind = Art
mail-outbox-happened = Ereignis
mail-outbox-attempts = Versuche
mail-outbox-last-error = Letzter Fehler
mail-outbox-next-try = Nächster Versuch
mail-outbox-actions = Aktionen
mail-outbox-no-error = keiner
mail-outbox-no-address = keine Adresse
mail-outbox-send-again = Jetzt erneut senden
mail-outbox-send-again-label = Jetzt erneut senden: Mail { $id } an { $user }

## Zustände
mail-state-waiting = Wartet
mail-state-failing = Scheitert
mail-state-given-up = Aufgegeben
mail-state-dropped = Nicht gesendet
mail-state-sent = Gesendet
mail-next-none-given-up = keiner (aufgegeben { $at })
mail-next-none-dropped = keiner (verworfen { $at })
mail-next-none-sent = keiner (gesendet { $at })

## Arten
mail-kind-ptr-set = PTR veröffentlicht
mail-kind-ptr-rejected = PTR nicht veröffentlicht
mail-kind-approved = Freigabe erteilt
mail-kind-denied = Freigabe abgelehnt
mail-kind-drift-start = Drift begonnen
mail-kind-drift-end = Drift beendet
mail-kind-drift-asked = Bitte, eine lange Drift zu beheben
mail-kind-drift-reset = Lange Drift zurückgesetzt
mail-kind-digest = Übersicht der Freigabeanfragen

## Nach „erneut senden“
mail-retry-queued = Die Mail wird in wenigen Sekunden erneut gesendet; das Ergebnis steht unten.
mail-retry-nothing = Nichts erneut zu senden: die Mail wurde gesendet oder wird gerade gesendet.
