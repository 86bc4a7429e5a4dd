# The user's own pages: language and time zone, notifications, sessions.

## Language and time zone (/account/preferences)
preferences-title = Sprache und Zeitzone
preferences-lead = Wie ptrdesk für Sie spricht, in jedem Browser, mit dem Sie sich anmelden. E-Mails folgen derselben Wahl.
preferences-language = Sprache
preferences-language-browser = Wie mein Browser es wünscht
preferences-language-hint = Ohne Auswahl folgt ptrdesk den Sprachen, die Ihr Browser anfragt.
preferences-time-zone = Zeitzone
preferences-time-zone-hint = Ein Name wie Europe/Berlin. Leer: { $default }, die Voreinstellung Ihres Anbieters.
preferences-example = Zeiten lauten dann so: { $now }
preferences-save = Speichern
preferences-saved = Ihre Sprache und Zeitzone sind gespeichert.
preferences-unknown-language = Diese Sprache spricht ptrdesk nicht. Es wurde nichts geändert.
preferences-unknown-time-zone = „{ $name }“ ist kein Zeitzonenname. Wählen Sie einen aus der Liste, etwa Europe/Berlin oder UTC.
