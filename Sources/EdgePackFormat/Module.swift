// EdgePackFormat module.
