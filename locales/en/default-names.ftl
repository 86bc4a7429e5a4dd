# How receivers read the provider's default names (the validation policy page).

default-name-static = static hosting
default-name-dynamic = dynamic or residential space
default-name-unmarked = neither static nor dynamic
default-name-static-verdict = The word { $marks } marks the space as static: receivers that list dynamic space leave it alone. The name still looks generated, as every default does, so mail servers that want a real name will want the customer's own PTR.
default-name-dynamic-verdict = { $count ->
    [one] The word { $marks } marks the space as dynamic or residential: blocklists of dynamic space may list your servers, and mail servers that refuse home connections may refuse them.
   *[other] The words { $marks } mark the space as dynamic or residential: blocklists of dynamic space may list your servers, and mail servers that refuse home connections may refuse them.
}
default-name-unmarked-verdict = No word says whether the space is static or dynamic: receivers guess from the numbers, and a generated name with the address in it is often taken for dynamic space.
default-name-suggestion = Mark the space as static hosting, e.g. { $setting } = "{ $pattern }".
