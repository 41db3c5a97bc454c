from portalsync.cli import main

main()
