# Why the write path, a bulk change or provisioning refused something: the sentences of
# `SubmitError`, the bulk items' errors and the inventory's problems. Logs, the audit log and
# the Robot-compatible API keep the English.

## A change refused (SubmitError)
refusal-conflict = this PTR was changed by someone else since you loaded it
refusal-not-owned = this address is not yours
refusal-delegated = the reverse names of this address are delegated to { $nameservers }: set its PTR on those name servers, or end the delegation first
# The same, as a page shows it on its own.
refusal-delegated-sentence = The reverse names of this address are delegated to { $nameservers }: set its PTR on those name servers, or end the delegation first.
refusal-database = database error

## One item of a bulk change
refusal-bulk-not-an-ip = “{ $ip }” is not an IP address.
refusal-bulk-duplicate = { $ip } appears earlier in this batch; give each address once.
refusal-bulk-not-owned = { $ip } is not one of your IP addresses.
refusal-bulk-rejected = The checks reject this name (see the findings); an atomic batch stores no rejected change.
refusal-bulk-conflict = { $ip } was changed by someone else meanwhile (now { $now }); try again.
refusal-bulk-provider-default = the provider default
refusal-bulk-write-failed = { $ip } could not be saved; nothing was changed for it. Send it again.
# A line of a CSV file that could not be read: $message says why (already a sentence).
refusal-bulk-unreadable = { $message }

## Provisioning: what is wrong at one place of the body
refusal-inventory-number = A customer number is required (at most { $max } characters).
refusal-inventory-number-twice = Customer { $number } is listed twice.
refusal-inventory-name = The customer's name is required (at most { $max } characters).
refusal-inventory-cancelled = A cancelled customer holds no servers: list none, or drop "cancelled".
refusal-inventory-server-name = The server's name is required (at most { $max } characters).
refusal-inventory-server-twice = Server { $server } is listed twice for this customer.
refusal-inventory-network-length = An address or network has at most { $max } characters.
# $reason is the address parser's own sentence.
refusal-inventory-network-twice = { $network } is listed twice (also at { $other }).
refusal-inventory-overlap = { $network } overlaps { $other } (at { $other_path }).
refusal-inventory-overlap-held = { $network } overlaps { $other } held by customer { $number }; only the same network can move.
refusal-inventory-other-customer = The body names another customer than the path ({ $number }).
