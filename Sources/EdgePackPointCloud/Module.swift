// EdgePackPointCloud module.
