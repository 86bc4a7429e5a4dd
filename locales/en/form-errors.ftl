# Errors shown beside a form's field (and the import summary), in the reader's language.
# The English sentences are the words the errors' `Display` writes to the logs.

## Fields, as a sentence names them at its start ("The note has 2345 characters; …").
form-field-justification = The justification
form-field-note = The note
form-field-network = The network
form-field-address = The address
form-field-nameserver = A name server
form-field-search = The search text
form-field-username = The user name
form-field-password = The password
form-field-customer-number = The customer number
form-field-customer-name = The customer name
form-field-server-name = The server name
form-field-back = The form's return address
form-field-server-filter = The server filter
form-field-address-filter = The address filter
form-field-hostname-filter = The host name filter
form-field-customer-filter = The customer filter
form-field-ip-filter = The IP filter
form-field-actor-filter = The actor filter
form-field-door-filter = The door filter
form-field-from = The From date
form-field-to = The To date
form-field-check-filter = The check filter
form-field-age-filter = The age filter

## Lengths.
form-too-long = { $field } has { $length } characters; at most { $max } are accepted.
form-search-too-long = { $problem } Shorten it and search again.
form-back-too-long = { $problem } Reload the page and try again; nothing was saved.
form-csv-line-too-long = Line { $line } has { $length } characters; a line has at most { $max }.

## Networks as typed.
form-network-unparsable = "{ $given }" is not an IP address or network (e.g. 192.0.2.10, 192.0.2.16/29, 2001:db8::/64).
form-network-host-bits = "{ $given }" is not the start of its network; did you mean { $suggested }?
form-network-ipv4-mapped = "{ $given }" covers IPv4-mapped addresses (::ffff:0:0/96), i.e. IPv4 addresses; assign the IPv4 addresses instead.

## Servers and assignments.
form-server-exists = This customer has a server with this name already.
form-overlaps-existing = { $network } overlaps the existing assignment { $existing }.
form-overlaps-concurrent = { $network } overlaps an assignment added at the same moment.
form-move-no-customer = There is no customer with this number.
form-move-no-server-name = Enter the name of the server to move it to.
form-move-no-such-server = That customer has no server with this name; add it first.
form-move-same-server = The assignment is on this server already.
form-has-entries = { $network } has { $count } address(es) with a PTR of their own or an open change. Use “Reset and remove” to put them back to the default and remove it.
form-not-delegable-zone = { $network } is a whole reverse zone ({ $zone }) or more: it is delegated by the parent zone (your RIR), not by ptrdesk
form-not-delegable-unaligned = { $network } cannot be delegated: IPv4 blocks are delegated as /25 to /32 inside a /24 or on an octet boundary (/16, /24), IPv6 prefixes on a nibble boundary (a multiple of 4)

## Accounts, credentials, webhooks, signing in.
form-username = Enter a user name without spaces (at most { $max } characters).
form-password-too-short = The password has { $length } characters; at least { $min } are needed.
form-password-too-long = The password has { $length } characters; at most { $max } are accepted.
form-username-taken = This user name is taken.
form-credential-label = Enter what the credential is for (at most { $max } characters).
form-webhook-url = Enter the receiver's URL, starting with https:// (or http:// inside your network).
form-webhook-no-event = Choose at least one event.
form-webhook-secret = The secret has at most { $max } characters.
form-sign-in-provider-unreachable = { $provider } cannot be reached just now. Try again in a minute.

## Review steps.
form-review-not-found = no such change
form-review-wrong-state = this change is { $state } and cannot take this step
form-review-justification-required = Say why this name is right for this address, so that an admin can decide.
form-review-note-required = A note is required: the customer sees it beside their entry.
form-review-no-longer-held = this address no longer belongs to the customer who asked; the change was closed
form-review-conflict = someone else changed this PTR in the meantime
form-review-database = database error
form-review-requested = Your request for review was sent. An admin decides; the answer appears beside the address.
form-review-nothing-sent = Nothing was sent: { $error }.

## The CSV import of assignments.
form-import-summary = imported { $assignments } assignment(s); created { $customers } customer(s) and { $servers } server(s)
form-import-not-csv = cannot be read as CSV: { $error }
form-import-field-count = expected 4 fields (customer_number,customer_name,server,network), found { $found }
form-import-empty-fields = the customer number and the server name must not be empty
form-import-overlaps = { $network } overlaps { $earlier } on line { $line }
form-import-overlaps-existing = { $network } overlaps the existing assignment { $existing }
form-import-overlaps-assignment = { $network } overlaps the assignment { $existing }
form-import-overlaps-concurrent = { $network } overlaps the assignment added at the same moment

## Signing in through the identity provider.
form-oidc-unknown-role = Your account at the sign-in provider has the role “{ $role }”, which ptrdesk does not know (customer, admin or helpdesk).
form-oidc-no-customer-number = Your account at the sign-in provider names no customer number, so ptrdesk cannot tell whose servers to show. Ask your provider's support to link your account to your customer number.
form-oidc-unknown-customer = Your account at the sign-in provider names the customer number “{ $number }”, which ptrdesk does not know. Ask your provider's support to check it.
form-oidc-disabled = Your ptrdesk account is disabled. Ask your provider's support.

## Bulk changes.
form-bulk-line-too-long = { $problem } Each line is an address, a comma and a host name. Nothing was checked or saved.
