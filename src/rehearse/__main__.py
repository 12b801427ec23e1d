from rehearse.cli import main

main()
