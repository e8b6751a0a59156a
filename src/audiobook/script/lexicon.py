"""Word lists for attribution: honorifics, given names by gender, pronouns, words that are not names.

Written for this project (common English given names and titles); small on purpose. Gender codes are
"M", "F" and "U" (unknown) as in :class:`audiobook.script.model.Character`.
"""

from __future__ import annotations

HONORIFICS: dict[str, str] = {
    # title (without the full stop) -> gender it implies
    "Mr": "M", "Mister": "M", "Sir": "M", "Lord": "M", "Monsieur": "M", "M": "M", "Herr": "M",
    "Signor": "M", "Senor": "M", "Señor": "M", "Father": "M", "Uncle": "M", "Brother": "M",
    "Master": "M", "Prince": "M", "King": "M", "Duke": "M", "Count": "M", "Baron": "M", "Earl": "M",
    "Marquis": "M", "Don": "M", "Mrs": "F", "Ms": "F", "Miss": "F", "Missus": "F", "Lady": "F",
    "Madame": "F", "Madam": "F", "Mme": "F", "Mlle": "F", "Mademoiselle": "F", "Frau": "F",
    "Fraulein": "F", "Signora": "F", "Senora": "F", "Señora": "F", "Mother": "F", "Aunt": "F",
    "Auntie": "F", "Sister": "F", "Mistress": "F", "Dame": "F", "Princess": "F", "Queen": "F",
    "Duchess": "F", "Countess": "F", "Baroness": "F", "Marquise": "F", "Mx": "U", "Dr": "U",
    "Doctor": "U", "Professor": "U", "Prof": "U", "Captain": "U", "Capt": "U", "Colonel": "U",
    "Col": "U", "Major": "U", "General": "U", "Lieutenant": "U", "Lt": "U", "Sergeant": "U", "Sgt": "U",
    "Inspector": "U", "Detective": "U", "Officer": "U", "Constable": "U", "Judge": "U",
    "Reverend": "U", "Rev": "U", "Agent": "U", "Commander": "U", "Admiral": "U", "Governor": "U",
    "Senator": "U", "President": "U", "Nurse": "U", "Coach": "U",
}

KINSHIP_TITLES = {"Father", "Mother", "Uncle", "Aunt", "Auntie", "Brother", "Sister", "Grandma", "Grandpa"}

MALE_NAMES = set("""
Aaron Adam Adrian Alan Albert Alec Alejandro Alessandro Alex Alexander Alexis Alfred Alan Andre Andrew
Andy Angus Anthony Antonio Archie Arthur Austin Ben Benjamin Bernard Bill Billy Bob Bobby Brad Brandon
Brian Bruce Caleb Carl Carlos Charles Charlie Chris Christian Christopher Colin Connor Daniel Danny Dante
David Dean Dennis Derek Dick Dmitri Dominic Don Donald Dorian Douglas Duncan Dylan Ed Eddie Edgar Edmund
Edward Edwin Elias Elijah Eli Elliot Emil Enzo Eric Ernest Ethan Eugene Evan Felix Fergus Francis Francisco
Frank Fred Frederick Gabriel Gareth Gavin Geoffrey George Gerald Gilbert Giovanni Gordon Graham Greg
Gregory Guy Hank Harold Harry Harvey Hector Henry Herbert Hugh Hugo Ian Isaac Ivan Jack Jacob Jake James
Jamie Jason Jasper Javier Jeff Jeremy Jerry Jim Jimmy Joe Joel John Johnny Jonah Jonathan Jordan Jose
Joseph Josh Joshua Juan Julian Justin Kai Karl Keith Ken Kenneth Kevin Kyle Lance Larry Laurence Lawrence
Leo Leon Leonard Lewis Liam Logan Louis Luca Lucas Luke Malcolm Marco Marcus Mark Martin Matt Matteo
Matthew Max Maxwell Michael Mick Mike Miles Mitchell Nathan Nathaniel Ned Neil Nicholas Nick Nico Nigel
Noah Noel Oliver Omar Oscar Owen Patrick Paul Pedro Peter Phil Philip Pierre Ralph Ray Raymond Reggie
Rhys Richard Rick Rob Robert Robin Rodney Roger Roman Ron Ronald Rory Ross Roy Rupert Russell Ryan Sam
Samuel Scott Sean Sebastian Sergei Seth Simon Stan Stanley Stefan Stephen Steve Steven Stuart Ted Teddy
Terry Theo Theodore Thomas Tim Timothy Toby Todd Tom Tommy Tony Travis Trevor Tristan Victor Vincent
Walter Wayne Wesley Will William Xavier Zach Zachary Jesus Moses Abraham Hans Fritz Pavel Nikolai Alexei
Mikhail Boris Ivan Yuri Basil Cyril Percy Reginald Rodolphe Gaston Jules Etienne Antoine Henri Jacques
Gilbert Matthew Wilfred Godfrey Humphrey Ambrose Jeremiah Ezra Silas Tobias Ebenezer
""".split())

FEMALE_NAMES = set("""
Abby Abigail Ada Adele Agnes Aileen Alexandra Alice Alicia Alison Amanda Amber Amelia Amy Ana Anastasia
Andrea Angela Angelina Ann Anna Anne Annie Antonia Ariel Audrey Ava Barbara Beatrice Becky Bella Beth
Bethany Betty Bianca Brenda Bridget Brooke Caitlin Camilla Carla Carmen Carol Caroline Carrie Cassie
Catherine Cathy Cecilia Cecily Charlotte Chloe Christina Christine Claire Clara Claudia Cora Daisy Dana
Daphne Deborah Delia Diana Diane Dolly Dora Doris Dorothy Edith Eleanor Elena Eliza Elizabeth Ella Ellen
Ellie Eloise Elsa Elsie Emily Emma Erica Esme Esther Eva Eve Evelyn Fanny Fiona Flora Florence Frances
Francesca Gemma Georgia Georgiana Gertrude Gina Grace Greta Gwen Hannah Harriet Hazel Heather Helen
Helena Hermione Holly Ida Imogen Irene Iris Isabel Isabella Isabelle Ivy Jane Janet Jasmine Jean Jennifer
Jenny Jess Jessica Jill Joan Joanna Josephine Joy Judith Julia Julie Juliet June Karen Kate Katherine
Kathleen Katie Kitty Laura Lauren Leah Lena Lily Linda Lisa Livia Liz Lizzie Lizzy Lola Lora Lorna Louisa
Louise Lucia Lucy Lydia Mabel Madeleine Maggie Maisie Margaret Maria Marian Marianne Marie Marilla Marina
Martha Mary Matilda Maud Maxine Meg Megan Melanie Melissa Mia Michelle Mildred Millie Miranda Molly Mona
Monica Nadia Nancy Naomi Natalie Natasha Nell Nellie Nicole Nina Nora Olga Olivia Pamela Patricia Paula
Pauline Peggy Penelope Penny Phoebe Polly Priscilla Rachel Rebecca Rosa Rosalind Rose Rosie Ruby Ruth
Sabrina Sally Samantha Sara Sarah Serafina Sylvia Sofia Sophia Sophie Stella Susan Susanna Suzanne Sybil
Tamara Tanya Tess Tessa Theresa Tina Ursula Valerie Vanessa Vera Veronica Victoria Violet Virginia Vivian
Wendy Winifred Yvonne Zoe Zoey Polina Masha Tatiana Katya Sonia Sonya Anya Blanche Genevieve Celeste
Colette Mathilde Georgette Henrietta Prudence Hester Philippa Araminta Gwendolyn Nora Ophelia Lavinia
""".split())

PRONOUN_GENDER = {
    "he": "M", "him": "M", "his": "M", "himself": "M",
    "she": "F", "her": "F", "hers": "F", "herself": "F",
}

GENDERED_NOUNS = {
    "man": "M", "boy": "M", "gentleman": "M", "husband": "M", "father": "M", "son": "M", "brother": "M",
    "uncle": "M", "nephew": "M", "king": "M", "prince": "M", "lord": "M", "sir": "M", "lad": "M",
    "fellow": "M", "grandfather": "M", "waiter": "M", "duke": "M", "master": "M", "old man": "M",
    "woman": "F", "girl": "F", "lady": "F", "wife": "F", "mother": "F", "daughter": "F", "sister": "F",
    "aunt": "F", "niece": "F", "queen": "F", "princess": "F", "grandmother": "F", "maid": "F",
    "waitress": "F", "duchess": "F", "mistress": "F", "landlady": "F", "housekeeper": "F", "nurse": "U",
    "hostess": "F", "host": "M", "widow": "F", "widower": "M", "countess": "F", "baroness": "F", "baron": "M",
    "earl": "M", "emperor": "M", "empress": "F", "heroine": "F", "bride": "F", "bridegroom": "M", "stepmother": "F",
    "stepfather": "M", "godmother": "F", "godfather": "M", "grandson": "M", "granddaughter": "F", "gentlewoman": "F",
    "madam": "F",
}

# Capitalised words that start sentences or titles but are not names.
NOT_NAMES = set("""
I I'm I've I'll I'd A An The This That These Those There Here Then Now When Where What Who Whom Whose Why
How Which While If But And Or Nor For So Yet As At By In On Of To From With Without Into Onto Upon Over
Under After Before Since Until Till Though Although Because Unless Whether Once Well Oh Ah Aye Ay Yes No
Not Nay Indeed Perhaps Very Only Just Even Still Also Too Again Never Ever Always Sometimes Often Soon
Yesterday Today Tomorrow Tonight Chapter Part Book Volume Prologue Epilogue Section Act Scene Contents
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December God Lord Heaven Heavens Christmas Easter He She It We You
They Him Her Them Us Me My Your His Its Our Their Mine Yours Hers Ours Theirs Let Do Does Did Don't
Doesn't Didn't Can Can't Could Couldn't Will Won't Would Wouldn't Shall Should Shouldn't Must Might May
Is Are Was Were Be Been Am Has Have Had Hadn't Isn't Aren't Wasn't Weren't Good Dear Poor Dearest
Mrs Mr Ms Miss Sir Madam Madame Everyone Everybody Nobody Someone Somebody Anyone Anybody Nothing
Something Everything Anything All Each Every Both Either Neither One Two Three Four Five Six Seven Eight
Nine Ten First Second Third Last Next Another Other Such Some Any Many Much More Most Few Less Least Own
Same Miss Please Thank Thanks Hello
Hullo Hallo Goodbye Good-bye Alas Hush Hurrah Bravo Pray Fie Lo Behold Look Listen Come Go Stop Wait
Quick Hurry Help Stay See Why Whatever Whenever However Wherever Therefore Thus Hence Besides Meanwhile
Otherwise Nevertheless Moreover Furthermore Anyway Sure Right Okay OK Fine Great Nice True False Really
Certainly Surely Exactly Quite Rather Probably Possibly Maybe English French German Russian Italian
Spanish American British Irish Scottish Welsh Dutch Greek Roman Latin Christian Catholic Protestant
Jewish Indian Chinese Japanese Street Road Lane Avenue Square Park Hall House Court Castle Church
Hotel Station River Hill Mount Lake Bay Island North South East West Northern Southern Eastern Western
Majesty Highness Lordship Ladyship Excellency Honour Honor Grace Reverence Mister Missus Ma'am Sire
TV OK PM AM Mr. Mrs. Dr. St Saint Chapter CHAPTER Yours Sincerely Dear Ma Pa
""".split())

PERSON_NOUNS = set("""
man woman boy girl child gentleman lady driver voice stranger officer policeman guard servant maid waiter
waitress doctor nurse soldier sailor captain clerk porter footman butler housekeeper landlord landlady
coachman cabman priest vicar judge lawyer teacher student girl lad fellow youth figure visitor caller
receptionist operator assistant secretary manager boss pilot bartender barman clerk cashier guide
stranger newcomer speaker someone somebody voice companion friend guest host hostess elder younger chief king queen prince princess duke duchess knight
sergeant inspector detective agent constable thief prisoner boatman cook gardener shopkeeper merchant
farmer mother father brother sister aunt uncle wife husband son daughter grandmother grandfather
""".split())

_DIMINUTIVE_TABLE = """
Elizabeth: Lizzy Lizzie Liz Eliza Beth Betsy Betty Bess Bessie Libby
Margaret: Maggie Meg Peggy Madge Margie Marge
Catherine Katherine Kathleen: Kate Katie Kitty Kath Cathy Kathy Kit
Mary: Polly Molly Mamie Minnie
Anne Ann Anna: Annie Nan Nancy Nanny
Sarah Sara: Sally Sadie
Susan Susanna Susannah: Sue Susie Suzy Sukey
Eleanor Helen Ellen Helena: Nell Nellie Nelly Ellie Nora
Dorothy Dorothea: Dolly Dot Dottie Dora
Frances: Fanny Fran Frankie
Harriet: Hattie Hatty
Charlotte: Lottie Lotty
Jane Janet: Jenny Jennie Janey
Jennifer: Jen Jenny
Rebecca: Becky Becca
Victoria: Vicky Tori
Patricia: Pat Patty Trish Tricia
Christina Christine: Chris Tina Chrissie
Josephine: Jo Josie
Louisa Louise: Lou Lulu
Alexandra: Alex Sandra
Abigail: Abby Abbie Nabby
Deborah: Debbie Deb
Isabella Isabel Isabelle: Bella Izzy Isa Belle
Matilda: Tilly Tillie Mattie
Amelia: Millie Milly
Mildred: Millie Milly
Georgiana Georgina: Georgie
Henrietta: Etta Hetty
Caroline Carolyn: Carrie Caro
Cecilia Cecily: Cissy Cissie
Lydia: Liddy
Theresa Teresa: Tessa Tess Terry
Philippa: Pippa Pip
Wilhelmina: Mina Billie
William: Will Willy Willie Bill Billy
Robert: Rob Robbie Bob Bobby Bert Bertie
Richard: Dick Dickie Rick Ricky Rich
Henry: Harry Hal Hank
Edward: Ed Eddie Eddy Ned Ted Teddy
James: Jim Jimmy Jamie Jem Jemmy
John: Jack Johnny Jackie
Thomas: Tom Tommy
Charles: Charlie Charley Chuck Chas
Michael: Mike Mick Mickey Micky
Joseph: Joe Joey
Benjamin: Ben Benny Benjy
Frederick Frederic: Fred Freddie Freddy Fritz
Francis: Frank Frankie
Samuel: Sam Sammy
Daniel: Dan Danny
David: Dave Davy Davie
Nicholas: Nick Nicky
Anthony Antony: Tony
Peter: Pete
Alexander: Alex Alec Sandy
Christopher: Chris Kit
Matthew: Matt Matty
Andrew: Andy Drew
Albert: Al Bert Bertie
Alfred: Alf Alfie Fred
Arthur: Art Artie
Gilbert: Gil Bert
Herbert: Herb Bert
Lawrence Laurence: Larry Laurie
Leonard: Len Lenny
Nathaniel Nathan: Nat Nate
Patrick: Pat Paddy
Philip Phillip: Phil Pip
Ronald: Ron Ronnie
Stephen Steven: Steve Stevie
Theodore: Theo Ted Teddy
Timothy: Tim Timmy
Walter: Walt Wally
Zachary: Zach Zack
Jonathan: Jon Jonny
Gregory: Greg
Kenneth: Ken Kenny
Donald: Don Donnie
Douglas: Doug
Gerald: Gerry Jerry
Jeremy Jeremiah: Jerry
Raymond: Ray
Reginald: Reggie Reg
Geoffrey Jeffrey: Geoff Jeff
Jacob: Jake
Joshua: Josh
Abraham: Abe
Isaac: Ike
Augustus: Gus
Percival: Percy
Montague: Monty
Archibald: Archie
Edmund: Ed Eddie Ned
Ebenezer: Eben
Tobias: Toby
"""


def _diminutives() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in _DIMINUTIVE_TABLE.strip().splitlines():
        formal, _, short = line.partition(":")
        for nick in short.split():
            out[nick] = out.get(nick, ()) + tuple(formal.split())
    return out


DIMINUTIVES: dict[str, tuple[str, ...]] = _diminutives()
"""Pet form of a common English given name -> the full names it shortens (Lizzy -> Elizabeth)."""
