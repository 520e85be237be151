"""The board pages: the team board and its cards, a card's detail, the stand-up and the live
stream."""
