// EdgePackConvert module.
