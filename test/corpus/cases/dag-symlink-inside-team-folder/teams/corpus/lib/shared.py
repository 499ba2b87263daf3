SHARED = "${not evaluated}"
