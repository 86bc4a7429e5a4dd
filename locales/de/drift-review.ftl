# Lange Drift als Freigabe-Eintrag: der Abschnitt der Warteschlange und die Seite des Eintrags.

## Der Abschnitt der Warteschlange
long-drift-title = Veröffentlichte PTRs, deren Prüfungen seit mehr als { $days } Tagen scheitern
long-drift-lead = Sie bleiben veröffentlicht, bis Sie oder der Kunde sie ändern. Öffnen Sie einen, um ihn so zu lassen, den Kunden um eine Korrektur zu bitten oder ihn auf den Standardnamen des Anbieters zurückzusetzen. Ein Eintrag verlässt die Warteschlange von selbst, sobald seine Drift endet.
long-drift-count = { $count ->
    [one] 1 lange Drift wartet
   *[other] { $count } lange Driften warten
}
long-drift-longest-shown = die { $shown } längsten gezeigt;
long-drift-all = alle Driften
long-drift-column-age = Drift seit
long-drift-column-customer = Kunde
long-drift-column-ip = IP
long-drift-column-ptr = Gültiger PTR
long-drift-column-fails = Was scheitert
long-drift-no-change-waiting = Kein angefragter PTR wartet auf eine Entscheidung.

## Die Seite des Eintrags
drift-item-title = Drift von { $ip }
drift-item-back = ← Zurück zur Warteschlange
drift-item-lead = Der PTR von { $ip } für { $customer } scheitert seit { $age } an seinen Prüfungen. Er bleibt veröffentlicht, bis Sie oder der Kunde ihn ändern.
drift-item-in-force = Gültiger PTR
drift-item-since = Scheitert seit
drift-item-earlier = Frühere Entscheidung
drift-item-none-yet = Noch keine.
drift-item-found = Was die letzte Prüfung fand
drift-item-checked = Zuletzt geprüft { $at }.
drift-item-no-findings = Keine Befunde.
drift-item-recheck = Prüfungen jetzt erneut ausführen
drift-item-decision = Entscheidung
drift-item-nothing-decided = Es wurde nichts entschieden.
drift-item-note = Notiz (erforderlich)
drift-item-note-hint = Der Kunde liest sie, wenn Sie ihn bitten oder seinen PTR zurücksetzen; das Prüfprotokoll bewahrt sie in jedem Fall.
drift-item-ask = Kunden um Korrektur bitten
drift-item-keep = So lassen
drift-item-reset = Auf den Standardnamen zurücksetzen
drift-item-ask-explained = der Kunde erhält Ihre Notiz per Mail und im Panel; scheitert er { $days } Tage später noch, steht er wieder hier.
drift-item-keep-explained = { $name } bleibt veröffentlicht und verlässt die Warteschlange, bis diese Drift endet.
drift-item-reset-explained = für { $ip } wird sofort der Standardname des Anbieters veröffentlicht; der Kunde erhält Ihre Notiz und kann einen neuen PTR setzen.
drift-item-history = Verlauf von { $ip }
drift-item-nothing-recorded = Noch nichts aufgezeichnet.
drift-item-when = Wann
drift-item-who = Wer
drift-item-door = Zugang
drift-item-what = Was
drift-item-before = Vorher
drift-item-after = Nachher

## Was der Admin erfährt
drift-row-asked = Kunde gebeten { $at }
drift-earlier-kept = Am { $at } hat { $by } ihn so gelassen: „{ $note }“
drift-earlier-asked = Am { $at } hat { $by } den Kunden um Korrektur gebeten: „{ $note }“
drift-an-admin = ein Admin
drift-decided-keep = So gelassen: der PTR von { $ip } bleibt, wie er ist, und verlässt die Warteschlange, bis seine Drift endet.
drift-decided-ask = Gebeten: der Kunde erfährt es per Mail und im Panel. Scheitert { $ip } in { $days } Tagen noch, steht er wieder in der Warteschlange.
drift-decided-reset = Zurückgesetzt: { $ip } hat wieder den Standardnamen des Anbieters; der Kunde erfährt, warum.
drift-note-required = Eine Notiz ist erforderlich: sie sagt im Prüfprotokoll, warum, und der Kunde liest sie, wenn Sie ihn bitten oder seinen PTR zurücksetzen.
drift-not-drifting = Es wurde nichts geändert: dieser PTR driftet nicht mehr; er besteht wieder, oder er wurde inzwischen geändert.
drift-reset-refused = Es wurde nichts geändert: { $reason }.
drift-recheck-passes = Erneut geprüft: er besteht jetzt. Die Drift ist vorbei, der Eintrag hat die Warteschlange verlassen.
drift-recheck-unknown = Erneut geprüft: DNS hat nicht geantwortet, oder der Eintrag wurde inzwischen geändert; nichts geändert.
drift-recheck-fails = Erneut geprüft: er scheitert weiter. Die Befunde unten sind die neuen.
