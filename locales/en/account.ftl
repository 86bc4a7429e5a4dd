# The user's own pages: language and time zone, notifications, sessions.

## Language and time zone (/account/preferences)
preferences-title = Language and time zone
preferences-lead = How ptrdesk reads for you, on every browser you sign in with. Mails follow the same choice.
preferences-language = Language
preferences-language-browser = As my browser asks
preferences-language-hint = Without a choice, ptrdesk follows the languages your browser asks for.
preferences-time-zone = Time zone
preferences-time-zone-hint = A name such as Europe/Berlin. Empty: { $default }, your provider's default.
preferences-example = Times then read like this: { $now }
preferences-save = Save
preferences-saved = Your language and time zone are saved.
preferences-unknown-language = ptrdesk does not speak that language. Nothing was changed.
preferences-unknown-time-zone = “{ $name }” is not a time zone name. Choose one from the list, such as Europe/Berlin or UTC.
