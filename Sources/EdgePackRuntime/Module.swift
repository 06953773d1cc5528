// EdgePackRuntime module.
