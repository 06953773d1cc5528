import ArgumentParser
EdgePackCommand.main()
