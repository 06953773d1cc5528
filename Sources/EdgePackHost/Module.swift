// EdgePackHost module.
