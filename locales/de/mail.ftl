# Notification mails: subjects, text, the facts table and the footer. Values: $ip the address,
# $name the PTR asked for (or what fails, in drift), $in_force the PTR in force.

mail-hello = Hallo { $username },
mail-fact-address = Adresse
mail-fact-ptr = PTR
mail-fact-requested = Angefragter PTR
mail-fact-why = Grund
mail-fact-note = Notiz des Admins
mail-fact-fails = Was fehlschlägt

mail-published-subject = PTR für { $ip } veröffentlicht: { $name }
mail-published-intro = DNS bestätigt jetzt { $name }: Der PTR, den Sie für { $ip } angefragt haben, ist veröffentlicht.
mail-rejected-subject = PTR für { $ip } nicht veröffentlicht: { $name }
mail-rejected-intro = Der PTR, den Sie für { $ip } angefragt haben, wurde nicht veröffentlicht; der geltende PTR bleibt. Beheben Sie, was die Prüfungen gefunden haben, und speichern Sie erneut, oder fragen Sie eine Freigabe an.
mail-approved-subject = Freigabe für { $ip } entschieden: freigegeben
mail-approved-intro = Ein Admin hat { $name } für { $ip } freigegeben; der Name ist veröffentlicht.
mail-denied-subject = Freigabe für { $ip } entschieden: abgelehnt
mail-denied-intro = Ein Admin hat { $name } für { $ip } abgelehnt; der geltende PTR bleibt.
mail-drift-subject = Abweichung: Der PTR von { $ip } besteht seine Prüfungen nicht mehr
mail-drift-intro = Bei der erneuten Prüfung hat { $in_force } nicht mehr bestanden. Er bleibt veröffentlicht; korrigieren Sie das DNS (zum Beispiel den Forward-Eintrag), dann verschwindet die Abweichung bei der nächsten Prüfung.
mail-drift-over-subject = Abweichung behoben: Der PTR von { $ip } besteht wieder
mail-drift-over-intro = { $in_force } besteht seine Prüfungen wieder.

mail-fact-ptr-until-now = Bisheriger PTR
mail-fix-subject = Bitte korrigieren Sie den PTR von { $ip }: Er besteht seine Prüfungen seit Langem nicht
mail-fix-intro = { $in_force } für { $ip } besteht seine Prüfungen seit Langem nicht, und ein Admin bittet Sie, das zu beheben: Korrigieren Sie das DNS (zum Beispiel den Forward-Eintrag) oder setzen Sie einen anderen PTR. Vorerst bleibt er veröffentlicht.
mail-reset-subject = PTR von { $ip } auf den Standardnamen zurückgesetzt
mail-reset-intro = { $in_force } für { $ip } hat seine Prüfungen seit Langem nicht bestanden; ein Admin hat ihn auf den Standardnamen des Anbieters zurückgesetzt. Sie können jederzeit einen neuen PTR setzen.

mail-digest-subject = { $count ->
    [one] { $count } neue Freigabeanfrage
   *[other] { $count } neue Freigabeanfragen
}
mail-digest-intro = Kunden haben seit der letzten Zusammenfassung für diese PTRs eine Freigabe angefragt:
mail-digest-item = { $customer } { $ip } fragt { $name } an ({ $at })
mail-digest-the-default = den Standardnamen
mail-digest-more = und { $count } weitere

mail-action-addresses = Ihre Adressen ansehen
mail-action-why = Grund ansehen
mail-action-entry = Eintrag ansehen
mail-action-queue = Freigaben öffnen

mail-footer = ptrdesk sendet Ihnen dies aufgrund Ihrer Benachrichtigungseinstellungen ({ $topic }).
mail-footer-change = Einstellungen ändern
mail-footer-stop = Diese E-Mails abbestellen
