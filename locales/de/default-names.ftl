# How receivers read the provider's default names (the validation policy page).

default-name-static = statisches Hosting
default-name-dynamic = dynamischer oder privater Adressraum
default-name-unmarked = weder statisch noch dynamisch
default-name-static-verdict = Das Wort { $marks } kennzeichnet den Adressraum als statisch: Empfänger, die dynamische Adressräume sperren, lassen ihn in Ruhe. Der Name sieht trotzdem generiert aus, wie jeder Standardname; Mailserver, die einen echten Namen erwarten, wollen den eigenen PTR des Kunden.
default-name-dynamic-verdict = { $count ->
    [one] Das Wort { $marks } kennzeichnet den Adressraum als dynamisch oder privat: Sperrlisten dynamischer Adressräume können Ihre Server aufführen, und Mailserver, die Verbindungen von Privatanschlüssen ablehnen, können sie ablehnen.
   *[other] Die Wörter { $marks } kennzeichnen den Adressraum als dynamisch oder privat: Sperrlisten dynamischer Adressräume können Ihre Server aufführen, und Mailserver, die Verbindungen von Privatanschlüssen ablehnen, können sie ablehnen.
}
default-name-unmarked-verdict = Kein Wort sagt, ob der Adressraum statisch oder dynamisch ist: Empfänger raten anhand der Zahlen, und ein generierter Name mit der Adresse darin wird oft für dynamischen Adressraum gehalten.
default-name-suggestion = Kennzeichnen Sie den Adressraum als statisches Hosting, z. B. { $setting } = "{ $pattern }".
