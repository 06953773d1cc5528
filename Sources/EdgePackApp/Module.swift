// EdgePackApp module.
