x = "${TfToken[TOKEN.1]}"
