"""`python -m healthfm` runs the command line (also what `torchrun -m healthfm` launches)."""

from healthfm.cli import main

if __name__ == "__main__":
    main()
