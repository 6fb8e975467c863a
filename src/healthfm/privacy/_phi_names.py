"""Given names and surnames for the PHI scrubber: US Census 1990 frequency lists (public domain; top
3,000 surnames, top 1,900 given names) plus common Swiss, German, Hungarian and Hispanic names."""

GIVEN_NAMES = """
Mary Patricia Linda Barbara Elizabeth Jennifer Maria Susan Margaret Dorothy Lisa Nancy Karen Betty Helen
Sandra Donna Carol Ruth Sharon Michelle Laura Sarah Kimberly Deborah Jessica Shirley Cynthia Angela Melissa
Brenda Amy Anna Rebecca Virginia Kathleen Pamela Martha Debra Amanda Stephanie Carolyn Christine Marie Janet
Catherine Frances Ann Joyce Diane Alice Julie Heather Teresa Doris Gloria Evelyn Jean Cheryl Mildred
Katherine Joan Ashley Judith Rose Janice Kelly Nicole Judy Christina Kathy Theresa Beverly Denise Tammy
Irene Jane Lori Rachel Marilyn Andrea Kathryn Louise Sara Anne Jacqueline Wanda Bonnie Julia Ruby Lois Tina
Phyllis Norma Paula Diana Annie Lillian Emily Robin Peggy Crystal Gladys Rita Dawn Connie Florence Tracy
Edna Tiffany Carmen Rosa Cindy Grace Wendy Victoria Edith Kim Sherry Sylvia Josephine Thelma Shannon Sheila
Ethel Ellen Elaine Marjorie Carrie Charlotte Monica Esther Pauline Emma Juanita Anita Rhonda Hazel Amber Eva
Debbie April Leslie Clara Lucille Jamie Joanne Eleanor Valerie Danielle Megan Alicia Suzanne Michele Gail
Bertha Darlene Veronica Jill Erin Geraldine Lauren Cathy Joann Lorraine Lynn Sally Regina Erica Beatrice
Dolores Bernice Audrey Yvonne Annette June Samantha Marion Dana Stacy Ana Renee Ida Vivian Roberta Holly
Brittany Melanie Loretta Yolanda Jeanette Laurie Katie Kristen Vanessa Alma Sue Elsie Beth Jeanne Vicki
Carla Tara Rosemary Eileen Terri Gertrude Lucy Tonya Ella Stacey Wilma Gina Kristin Jessie Natalie Agnes
Vera Willie Charlene Bessie Delores Melinda Pearl Arlene Maureen Colleen Allison Tamara Joy Georgia
Constance Lillie Claudia Jackie Marcia Tanya Nellie Minnie Marlene Heidi Glenda Lydia Viola Courtney Marian
Stella Caroline Dora Jo Vickie Mattie Terry Maxine Irma Mabel Marsha Myrtle Lena Christy Deanna Patsy Hilda
Gwendolyn Jennie Nora Margie Nina Cassandra Leah Penny Kay Priscilla Naomi Carole Brandy Olga Billie Dianne
Tracey Leona Jenny Felicia Sonia Miriam Velma Becky Bobbie Violet Kristina Toni Misty Mae Shelly Daisy
Ramona Sherri Erika Katrina Claire Lindsey Lindsay Geneva Guadalupe Belinda Margarita Sheryl Cora Faye Ada
Natasha Sabrina Isabel Marguerite Hattie Harriet Molly Cecilia Kristi Brandi Blanche Sandy Rosie Joanna Iris
Eunice Angie Inez Lynda Madeline Amelia Alberta Genevieve Monique Jodi Janie Maggie Kayla Sonya Jan Lee
Kristine Candace Fannie Maryann Opal Alison Yvette Melody Luz Susie Olivia Flora Shelley Kristy Mamie Lula
Lola Verna Beulah Antoinette Candice Juana Jeannette Pam Kelli Hannah Whitney Bridget Karla Celia Latoya
Patty Shelia Gayle Della Vicky Lynne Sheri Marianne Kara Jacquelyn Erma Blanca Myra Leticia Pat Krista
Roxanne Angelica Johnnie Robyn Francis Adrienne Rosalie Alexandra Brooke Bethany Sadie Bernadette Traci Jody
Kendra Jasmine Nichole Rachael Chelsea Mable Ernestine Muriel Marcella Elena Krystal Angelina Nadine Kari
Estelle Dianna Paulette Lora Mona Doreen Rosemarie Angel Desiree Antonia Hope Ginger Janis Betsy Christie
Freda Mercedes Meredith Lynette Teri Cristina Eula Leigh Meghan Sophia Eloise Rochelle Gretchen Cecelia
Raquel Henrietta Alyssa Jana Kelley Gwen Kerry Jenna Tricia Laverne Olive Alexis Tasha Silvia Elvira Casey
Delia Sophie Kate Patti Lorena Kellie Sonja Lila Lana Darla May Mindy Essie Mandy Lorene Elsa Josefina
Jeannie Miranda Dixie Lucia Marta Faith Lela Johanna Shari Camille Tami Shawna Elisa Ebony Melba Ora Nettie
Tabitha Ollie Jaime Winifred Kristie Marina Alisha Aimee Rena Myrna Marla Tammie Latasha Bonita Patrice
Ronda Sherrie Addie Francine Deloris Stacie Adriana Cheri Shelby Abigail Celeste Jewel Cara Adele Rebekah
Lucinda Dorthy Chris Effie Trina Reba Shawn Sallie Aurora Lenora Etta Lottie Kerri Trisha Nikki Estella
Francisca Josie Tracie Marissa Karin Brittney Janelle Lourdes Laurel Helene Fern Elva Corinne Kelsey Ina
Bettie Elisabeth Aida Caitlin Ingrid Iva Eugenia Christa Goldie Cassie Maude Jenifer Therese Frankie Dena
Lorna Janette Latonya Candy Morgan Consuelo Tamika Rosetta Debora Cherie Polly Dina Jewell Fay Jillian
Dorothea Nell Trudy Esperanza Patrica Kimberley Shanna Helena Carolina Cleo Stefanie Rosario Ola Janine
Mollie Lupe Alisa Lou Maribel Susanne Bette Susana Elise Cecile Isabelle Lesley Jocelyn Paige Joni Rachelle
Leola Daphne Alta Ester Petra Graciela Imogene Jolene Keisha Lacey Glenna Gabriela Keri Ursula Lizzie
Kirsten Shana Adeline Mayra Jayne Jaclyn Gracie Sondra Carmela Marisa Rosalind Charity Tonia Beatriz Marisol
Clarice Jeanine Sheena Angeline Frieda Lily Robbie Shauna Millie Claudette Cathleen Angelia Gabrielle Autumn
Katharine Summer Jodie Staci Lea Christi Jimmie Justine Elma Luella Margret Dominique Socorro Rene Martina
Margo Mavis Callie Bobbi Maritza Lucile Leanne Jeannine Deana Aileen Lorie Ladonna Willa Manuela Gale Selma
Dolly Sybil Abby Lara Dale Ivy Dee Winnie Marcy Luisa Jeri Magdalena Ofelia Meagan Audra Matilda Leila
Cornelia Bianca Simone Bettye Randi Virgie Latisha Barbra Georgina Eliza Leann Bridgette Rhoda Haley Adela
Nola Bernadine Flossie Ila Greta Ruthie Nelda Minerva Lilly Terrie Letha Hilary Estela Valarie Brianna
Rosalyn Earline Catalina Ava Mia Clarissa Lidia Corrine Alexandria Concepcion Tia Sharron Rae Dona Ericka
Jami Elnora Chandra Lenore Neva Marylou Melisa Tabatha Serena Avis Allie Sofia Jeanie Odessa Nannie Harriett
Loraine Penelope Milagros Emilia Benita Allyson Ashlee Tania Tommie Esmeralda Karina Eve Pearlie Zelma
Malinda Noreen Tameka Saundra Hillary Amie Althea Rosalinda Jordan Lilia Alana Gay Clare Alejandra Elinor
Michael Lorrie Jerri Darcy Earnestine Carmella Taylor Noemi Marcie Liza Annabelle Louisa Earlene Mallory
Carlene Nita Selena Tanisha Katy Julianne John Lakisha Edwina Maricela Margery Kenya Dollie Roxie Roslyn
Kathrine Nanette Charmaine Lavonne Ilene Kris Tammi Suzette Corine Kaye Jerry Merle Chrystal Lina Deanne
Lilian Juliana Aline Luann Kasey Maryanne Evangeline Colette Melva Lawanda Yesenia Nadia Madge Kathie Eddie
Ophelia Valeria Nona Mitzi Mari Georgette Claudine Fran Alissa Roseann Lakeisha Susanna Reva Deidre Chasity
Sheree Carly James Elvia Alyce Deirdre Gena Briana Araceli Katelyn Rosanne Wendi Tessa Berta Marva Imelda
Marietta Marci Leonor Arline Sasha Madelyn Janna Juliette Deena Aurelia Josefa Augusta Liliana Young
Christian Lessie Amalia Savannah Anastasia Vilma Natalia Rosella Lynnette Corina Alfreda Leanna Carey Amparo
Coleen Tamra Aisha Wilda Karyn Cherry Queen Maura Mai Evangelina Rosanna Hallie Erna Enid Mariana Lacy
Juliet Jacklyn Freida Madeleine Mara Hester Cathryn Lelia Casandra Bridgett Angelita Jannie Dionne Annmarie
Katina Beryl Phoebe Millicent Katheryn Diann Carissa Maryellen Liz Lauri Helga Gilda Adrian Rhea Marquita
Hollie Tisha Tamera Angelique Francesca Britney Kaitlin Lolita Florine Rowena Reyna Twila Fanny Janell Ines
Concetta Bertie Alba Brigitte Alyson Vonda Pansy Elba Noelle Letitia Kitty Deann Brandie Louella Leta
Felecia Sharlene Lesa Beverley Robert Isabella Herminia Terra Celina Tori Octavia Jade Denice Germaine
Sierra Michell Cortney Nelly Doretha Sydney Deidra Monika Lashonda Judi Chelsey Antionette Margot Bobby
Adelaide Nan Leeann Elisha Dessie Libby Kathi Gayla Latanya Mina Mellisa Kimberlee Jasmin Renae Zelda Elda
Ma Justina Gussie Emilie Camilla Abbie Rocio Kaitlyn Jesse Edythe Ashleigh Selina Lakesha Geri Allene Pamala
Michaela Dayna Caryn Rosalia Sun Jacquline Rebeca Marybeth Krystle Iola Dottie Bennie Belle Aubrey Griselda
Ernestina Elida Adrianne Demetria Delma Chong Jaqueline Destiny Arleen Virgina Retha Fatima Tillie Eleanore
Cari Treva Birdie Wilhelmina Rosalee Maurine Latrice Yong Jena Taryn Elia Debby Maudie Jeanna Delilah
Catrina Shonda Hortencia Theodora Teresita Robbin Danette Maryjane Freddie Delphine Brianne Nilda Danna
Cindi Bess Iona Hanna Ariel Winona Vida Rosita Marianna William Racheal Guillermina Eloisa Celestine Caren
Malissa Lona Chantel Shellie Marisela Leora Agatha Soledad Migdalia Ivette Christen Athena Janel Chloe Veda
Pattie Tessie Tera Marilynn Lucretia Karrie Dinah Daniela Alecia Adelina Vernice Shiela Portia Merry Lashawn
Devon Dara Tawana Oma Verda Christin Alene Zella Sandi Rafaela Maya Kira Candida Alvina Suzan Shayla Lyn
Lettie Alva Samatha Oralia Matilde Madonna Larissa Vesta Renita India Delois Shanda Phillis Lorri Erlinda
Cruz Cathrine Barb Zoe Isabell Ione Gisela Charlie Valencia Roxanna Mayme Kisha Ellie Mellissa Dorris David
Richard Charles Joseph Thomas Christopher Daniel Paul Mark Donald George Kenneth Steven Edward Brian Ronald
Anthony Kevin Jason Matthew Gary Timothy Jose Larry Jeffrey Frank Scott Eric Stephen Andrew Raymond Gregory
Joshua Dennis Walter Patrick Peter Harold Douglas Henry Carl Arthur Ryan Roger Joe Juan Jack Albert Jonathan
Justin Gerald Keith Samuel Ralph Lawrence Nicholas Roy Benjamin Bruce Brandon Adam Harry Fred Wayne Billy
Steve Louis Jeremy Aaron Randy Howard Eugene Carlos Russell Victor Martin Ernest Phillip Todd Craig Alan
Clarence Sean Philip Johnny Earl Jimmy Antonio Danny Bryan Tony Luis Mike Stanley Leonard Nathan Manuel
Rodney Curtis Norman Allen Marvin Vincent Glenn Jeffery Travis Jeff Chad Jacob Melvin Alfred Kyle Bradley
Jesus Herbert Frederick Ray Joel Edwin Don Ricky Troy Randall Barry Alexander Bernard Mario Leroy Francisco
Marcus Micheal Theodore Clifford Miguel Oscar Jay Jim Tom Calvin Alex Jon Ronnie Bill Lloyd Tommy Leon Derek
Warren Darrell Jerome Floyd Leo Alvin Tim Wesley Gordon Dean Greg Jorge Dustin Pedro Derrick Dan Lewis
Zachary Corey Herman Maurice Vernon Roberto Clyde Glen Hector Shane Ricardo Sam Rick Lester Brent Ramon
Tyler Gilbert Gene Marc Reginald Ruben Brett Nathaniel Rafael Edgar Milton Raul Ben Chester Cecil Duane
Franklin Andre Elmer Brad Gabriel Ron Mitchell Roland Arnold Harvey Jared Karl Cory Claude Erik Darryl Neil
Javier Fernando Clinton Ted Mathew Tyrone Darren Lonnie Lance Cody Julio Kurt Allan Nelson Guy Clayton Hugh
Max Dwayne Dwight Armando Felix Everett Ian Wallace Ken Bob Alfredo Alberto Dave Ivan Sidney Byron Julian
Isaac Morris Clifton Willard Daryl Ross Virgil Andy Marshall Salvador Perry Kirk Sergio Seth Kent Terrance
Eduardo Terrence Enrique Wade Austin Stuart Fredrick Arturo Alejandro Joey Nick Luther Wendell Jeremiah Evan
Julius Donnie Otis Trevor Oliver Luke Homer Gerard Doug Kenny Hubert Angelo Shaun Lyle Matt Alfonso Orlando
Rex Carlton Ernesto Cameron Neal Pablo Lorenzo Omar Wilbur Blake Grant Horace Roderick Abraham Willis Rickey
Ira Andres Cesar Johnathan Malcolm Rudolph Damon Kelvin Rudy Preston Alton Archie Marco Wm Pete Randolph
Garry Geoffrey Jonathon Felipe Gerardo Ed Dominic Loren Delbert Colin Guillermo Earnest Lucas Benny Noel
Spencer Rodolfo Myron Edmund Garrett Salvatore Cedric Lowell Gregg Sherman Wilson Devin Sylvester Roosevelt
Israel Jermaine Forrest Wilbert Leland Simon Clark Irving Carroll Bryant Owen Rufus Woodrow Sammy Kristopher
Mack Levi Marcos Gustavo Jake Lionel Marty Ellis Dallas Gilberto Clint Nicolas Laurence Ismael Orville Drew
Ervin Dewey Al Wilfred Josh Hugo Ignacio Caleb Tomas Sheldon Erick Stewart Doyle Darrel Rogelio Terence
Santiago Alonzo Elias Bert Elbert Ramiro Conrad Noah Grady Phil Cornelius Lamar Rolando Clay Percy Dexter
Bradford Darin Amos Terrell Moses Irvin Saul Roman Darnell Randal Timmy Darrin Winston Brendan Toby Van Abel
Dominick Boyd Emilio Elijah Cary Domingo Santos Emmett Marlon Emanuel Jerald Edmond Emil Dewayne Will Otto
Teddy Reynaldo Bret Jess Trent Humberto Emmanuel Stephan Louie Vicente Lamont Garland Miles Micah Efrain
Logan Heath Rodger Harley Demetrius Ethan Eldon Rocky Pierre Junior Freddy Eli Bryce Antoine Kendall Royce
Sterling Mickey Chase Grover Elton Cleveland Dylan Chuck Damian Reuben Stan August Leonardo Jasper Russel
Erwin Benito Hans Monte Blaine Ernie Curt Quentin Agustin Murray Jamal Adolfo Harrison Tyson Burton Brady
Elliott Wilfredo Bart Jarrod Vance Denis Damien Joaquin Harlan Desmond Elliot Darwin Gregorio Buddy Xavier
Kermit Roscoe Esteban Anton Solomon Scotty Norbert Elvin Williams Nolan Rod Quinton Hal Brain Rob Elwood
Kendrick Darius Moises Son Marlin Fidel Thaddeus Cliff Marcel Ali Jackson Raphael Bryon Armand Alvaro Jeffry
Dane Joesph Thurman Ned Sammie Rusty Michel Monty Rory Fabian Reggie Mason Graham Isaiah Vaughn Gus Avery
Loyd Diego Adolph Norris Millard Rocco Gonzalo Derick Rodrigo Gerry Wiley Rigoberto Alphonso Ty Rickie Noe
Vern Reed Jefferson Elvis Bernardo Mauricio Hiram Donovan Basil Riley Nickolas Maynard Scot Vince Quincy
Eddy Sebastian Federico Ulysses Heriberto Donnell Cole Denny Davis Gavin Emery Ward Romeo Jayson Dion Dante
Clement Coy Odell Maxwell Jarvis Bruno Issac Dudley Ueli Urs Reto Beat Fritz Hansruedi Hanspeter Res Ruedi
Sepp Werner Heinz Jürg Jörg Christoph Lukas Luca Nico Yannick Cédric Dominik Florian Tobias Matthias Stefan
Andreas Markus Ernst Alois Hermann Gottfried Klaus Dieter Günter Günther Horst Helmut Manfred Rolf Uwe
Wolfgang Jürgen Franz Josef Heinrich Friedrich Wilhelm Ludwig Moritz Maximilian Finn Vreni Verena Margrit
Käthi Rösli Annemarie Regula Sabine Hannelore Renate Ursel Gertrud Priska Franziska Mirjam Seraina Ladina
Leonie Anja Katja Tanja Laszlo László Gyorgy György Istvan István Janos János Jozsef József Sandor Sándor
Ferenc Imre Tibor Zoltan Zoltán Gabor Gábor Bence Mate Máté Balazs Balázs Tamas Tamás Attila Csaba Zsolt
Péter Andras András Miklos Miklós Lajos Gyula Bela Béla Erzsebet Erzsébet Katalin Ilona Éva Zsuzsanna Zsofia
Zsófia Ágnes Eszter Judit Csilla Anikó Aniko Krisztina Orsolya Reka Réka Dóra Noémi Timea Tímea Edit Piroska
Márta Gizella Terezia Boglarka Hajnalka Enikő Eniko José Jesús Raúl Ramón Joaquín Mateo Andrés Héctor María
Lucía Pilar Ximena Camila Valentina Sofía Fernanda Inés Rocío Verónica Giuseppe Giovanni Chiara Giulia
Alessandro Matteo Paolo Enrico Mohammed Mohamed Ahmed Yusuf Mehmet Ayse Emine Hasan Huseyin Wei Li Ming
Hiroshi Yuki Priya Raj
""".split()  # noqa: SIM905

SURNAMES = """
Smith Johnson Williams Jones Brown Davis Miller Wilson Moore Taylor Anderson Thomas Jackson White Harris
Martin Thompson Garcia Martinez Robinson Clark Rodriguez Lewis Lee Walker Hall Allen Young Hernandez King
Wright Lopez Hill Scott Green Adams Baker Gonzalez Nelson Carter Mitchell Perez Roberts Turner Phillips
Campbell Parker Evans Edwards Collins Stewart Sanchez Morris Rogers Reed Cook Morgan Bell Murphy Bailey
Rivera Cooper Richardson Cox Howard Ward Torres Peterson Gray Ramirez James Watson Brooks Kelly Sanders
Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Flores
Washington Butler Simmons Foster Gonzales Bryant Alexander Russell Griffin Diaz Hayes Myers Ford Hamilton
Graham Sullivan Wallace Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison Gibson Mcdonald Cruz
Marshall Ortiz Gomez Murray Freeman Wells Webb Simpson Stevens Tucker Porter Hunter Hicks Crawford Henry
Boyd Mason Morales Kennedy Warren Dixon Ramos Reyes Burns Gordon Shaw Holmes Rice Robertson Hunt Black
Daniels Palmer Mills Nichols Grant Knight Ferguson Rose Stone Hawkins Dunn Perkins Hudson Spencer Gardner
Stephens Payne Pierce Berry Matthews Arnold Wagner Willis Ray Watkins Olson Carroll Duncan Snyder Hart
Cunningham Bradley Lane Andrews Ruiz Harper Fox Riley Armstrong Carpenter Weaver Greene Lawrence Elliott
Chavez Sims Austin Peters Kelley Franklin Lawson Fields Gutierrez Ryan Schmidt Carr Vasquez Castillo Wheeler
Chapman Oliver Montgomery Richards Williamson Johnston Banks Meyer Bishop Mccoy Howell Alvarez Morrison
Hansen Fernandez Garza Harvey Little Burton Stanley Nguyen George Jacobs Reid Kim Fuller Lynch Dean Gilbert
Garrett Romero Welch Larson Frazier Burke Hanson Day Mendoza Moreno Bowman Medina Fowler Brewer Hoffman
Carlson Silva Pearson Holland Douglas Fleming Jensen Vargas Byrd Davidson Hopkins May Terry Herrera Wade
Soto Walters Curtis Neal Caldwell Lowe Jennings Barnett Graves Jimenez Horton Shelton Barrett Obrien Castro
Sutton Gregory Mckinney Lucas Miles Craig Rodriquez Chambers Holt Lambert Fletcher Watts Bates Hale Rhodes
Pena Beck Newman Haynes Mcdaniel Mendez Bush Vaughn Parks Dawson Santiago Norris Hardy Love Steele Curry
Powers Schultz Barker Guzman Page Munoz Ball Keller Chandler Weber Leonard Walsh Lyons Ramsey Wolfe
Schneider Mullins Benson Sharp Bowen Daniel Barber Cummings Hines Baldwin Griffith Valdez Hubbard Salazar
Reeves Warner Stevenson Burgess Santos Tate Cross Garner Mann Mack Moss Thornton Dennis Mcgee Farmer Delgado
Aguilar Vega Glover Manning Cohen Harmon Rodgers Robbins Newton Todd Blair Higgins Ingram Reese Cannon
Strickland Townsend Potter Goodwin Walton Rowe Hampton Ortega Patton Swanson Joseph Francis Goodman
Maldonado Yates Becker Erickson Hodges Rios Conner Adkins Webster Norman Malone Hammond Flowers Cobb Moody
Quinn Blake Maxwell Pope Floyd Osborne Paul Mccarthy Guerrero Lindsey Estrada Sandoval Gibbs Tyler Gross
Fitzgerald Stokes Doyle Sherman Saunders Wise Colon Gill Alvarado Greer Padilla Simon Waters Nunez Ballard
Schwartz Mcbride Houston Christensen Klein Pratt Briggs Parsons Mclaughlin Zimmerman French Buchanan Moran
Copeland Roy Pittman Brady Mccormick Holloway Brock Poole Frank Logan Owen Bass Marsh Drake Wong Jefferson
Park Morton Abbott Sparks Patrick Norton Huff Clayton Massey Lloyd Figueroa Carson Bowers Roberson Barton
Tran Lamb Harrington Casey Boone Cortez Clarke Mathis Singleton Wilkins Cain Bryan Underwood Hogan Mckenzie
Collier Luna Phelps Mcguire Allison Bridges Wilkerson Nash Summers Atkins Wilcox Pitts Conley Marquez
Burnett Richard Cochran Chase Davenport Hood Gates Clay Ayala Sawyer Roman Vazquez Dickerson Hodge Acosta
Flynn Espinoza Nicholson Monroe Wolf Morrow Kirk Randall Anthony Whitaker Oconnor Skinner Ware Molina Kirby
Huffman Bradford Charles Gilmore Dominguez Oneal Bruce Lang Combs Kramer Heath Hancock Gallagher Gaines
Shaffer Short Wiggins Mathews Mcclain Fischer Wall Small Melton Hensley Bond Dyer Cameron Grimes Contreras
Christian Wyatt Baxter Snow Mosley Shepherd Larsen Hoover Beasley Glenn Petersen Whitehead Meyers Keith
Garrison Vincent Shields Horn Savage Olsen Schroeder Hartman Woodard Mueller Kemp Deleon Booth Patel Calhoun
Wiley Eaton Cline Navarro Harrell Lester Humphrey Parrish Duran Hutchinson Hess Dorsey Bullock Robles Beard
Dalton Avila Vance Rich Blackwell York Johns Blankenship Trevino Salinas Campos Pruitt Moses Callahan Golden
Montoya Hardin Guerra Mcdowell Carey Stafford Gallegos Henson Wilkinson Booker Merritt Miranda Atkinson Orr
Decker Hobbs Preston Tanner Knox Pacheco Stephenson Glass Rojas Serrano Marks Hickman English Sweeney Strong
Prince Mcclure Conway Walter Roth Maynard Farrell Lowery Hurst Nixon Weiss Trujillo Ellison Sloan Juarez
Winters Mclean Randolph Leon Boyer Villarreal Mccall Gentry Carrillo Kent Ayers Lara Shannon Sexton Pace
Hull Leblanc Browning Velasquez Leach Chang House Sellers Herring Noble Foley Bartlett Mercado Landry Durham
Walls Barr Mckee Bauer Rivers Everett Bradshaw Pugh Velez Rush Estes Dodson Morse Sheppard Weeks Camacho
Bean Barron Livingston Middleton Spears Branch Blevins Chen Kerr Mcconnell Hatfield Harding Ashley Solis
Herman Frost Giles Blackburn William Pennington Woodward Finley Mcintosh Koch Best Solomon Mccullough Dudley
Nolan Blanchard Rivas Brennan Mejia Kane Benton Joyce Buckley Haley Valentine Maddox Russo Mcknight Buck
Moon Mcmillan Crosby Berg Dotson Mays Roach Church Chan Richmond Meadows Faulkner Oneill Knapp Kline Barry
Ochoa Jacobson Gay Avery Hendricks Horne Shepard Hebert Cherry Cardenas Mcintyre Whitney Waller Holman
Donaldson Cantu Terrell Morin Gillespie Fuentes Tillman Sanford Bentley Peck Key Salas Rollins Gamble
Dickson Battle Santana Cabrera Cervantes Howe Hinton Hurley Spence Zamora Yang Mcneil Suarez Case Petty
Gould Mcfarland Sampson Carver Bray Rosario Macdonald Stout Hester Melendez Dillon Farley Hopper Galloway
Potts Bernard Joyner Stein Aguirre Osborn Mercer Bender Franco Rowland Sykes Benjamin Travis Pickett Crane
Sears Mayo Dunlap Hayden Wilder Mckay Coffey Mccarty Ewing Cooley Vaughan Bonner Cotton Holder Stark Ferrell
Cantrell Fulton Lynn Lott Calderon Rosa Pollard Hooper Burch Mullen Fry Riddle Levy David Duke Odonnell Guy
Michael Britt Frederick Daugherty Berger Dillard Alston Jarvis Frye Riggs Chaney Odom Duffy Fitzpatrick
Valenzuela Merrill Mayer Alford Mcpherson Acevedo Donovan Barrera Albert Cote Reilly Compton Raymond Mooney
Mcgowan Craft Cleveland Clemons Wynn Nielsen Baird Stanton Snider Rosales Bright Witt Stuart Hays Holden
Rutledge Kinney Clements Castaneda Slater Hahn Emerson Conrad Burks Delaney Pate Lancaster Sweet Justice
Tyson Sharpe Whitfield Talley Macias Irwin Burris Ratliff Mccray Madden Kaufman Beach Goff Cash Bolton
Mcfadden Levine Good Byers Kirkland Kidd Workman Carney Dale Mcleod Holcomb England Finch Head Burt Hendrix
Sosa Haney Franks Sargent Nieves Downs Rasmussen Bird Hewitt Lindsay Le Foreman Valencia Oneil Delacruz
Vinson Dejesus Hyde Forbes Gilliam Guthrie Wooten Huber Barlow Boyle Mcmahon Buckner Rocha Puckett Langley
Knowles Cooke Velazquez Whitley Noel Vang Shea Rouse Hartley Mayfield Elder Rankin Hanna Cowan Lucero Arroyo
Slaughter Haas Oconnell Minor Kendrick Shirley Kendall Boucher Archer Boggs Odell Dougherty Andersen Newell
Crowe Wang Friedman Bland Swain Holley Felix Pearce Childs Yarbrough Galvan Proctor Meeks Lozano Mora Rangel
Bacon Villanueva Schaefer Rosado Helms Boyce Goss Stinson Smart Lake Ibarra Hutchins Covington Reyna Gregg
Werner Crowley Hatcher Mackey Bunch Womack Polk Jamison Dodd Childress Childers Camp Villa Dye Springer
Mahoney Dailey Belcher Lockhart Griggs Costa Connor Brandt Winter Walden Moser Tracy Tatum Mccann Akers Lutz
Pryor Law Orozco Mcallister Lugo Davies Shoemaker Madison Rutherford Newsome Magee Chamberlain Blanton Simms
Godfrey Flanagan Crum Cordova Escobar Downing Sinclair Donahue Krueger Mcginnis Gore Farris Webber Corbett
Andrade Starr Lyon Yoder Hastings Mcgrath Spivey Krause Harden Crabtree Kirkpatrick Hollis Brandon Arrington
Ervin Clifton Ritter Mcghee Bolden Maloney Gagnon Dunbar Ponce Pike Mayes Heard Beatty Mobley Kimball Butts
Montes Herbert Grady Eldridge Braun Hamm Gibbons Seymour Moyer Manley Herron Plummer Elmore Cramer Gary
Rucker Hilton Blue Pierson Fontenot Field Rubio Grace Goldstein Elkins Wills Novak John Hickey Worley Gorman
Katz Dickinson Broussard Fritz Woodruff Crow Christopher Britton Forrest Nance Lehman Bingham Zuniga Whaley
Shafer Coffman Steward Delarosa Nix Neely Numbers Mata Manuel Davila Mccabe Kessler Emery Bowling Hinkle
Welsh Pagan Goldberg Goins Crouch Cuevas Quinones Mcdermott Hendrickson Samuels Denton Bergeron Lam Ivey
Locke Haines Thurman Snell Hoskins Byrne Milton Winston Arthur Arias Stanford Roe Corbin Beltran Chappell
Hurt Downey Dooley Tuttle Couch Payton Mcelroy Crockett Groves Clement Leslie Cartwright Dickey Mcgill
Dubois Muniz Erwin Self Tolbert Dempsey Cisneros Sewell Latham Garland Vigil Tapia Sterling Rainey Norwood
Lacy Stroud Meade Amos Tipton Lord Kuhn Hilliard Bonilla Teague Courtney Gunn Ho Greenwood Correa Reece
Weston Poe Trent Pineda Phipps Frey Kaiser Ames Paige Gunter Schmitt Milligan Espinosa Carlton Bowden
Vickers Lowry Pritchard Costello Piper Mcclellan Lovell Drew Sheehan Quick Hatch Dobson Singh Jeffries
Hollingsworth Sorensen Meza Fink Donnelly Burrell Bruno Tomlinson Colbert Billings Ritchie Helton Sutherland
Peoples Mcqueen Gaston Thomason Mckinley Givens Crocker Vogel Robison Dunham Coker Swartz Keys Lilly Ladner
Hannah Willard Richter Hargrove Edmonds Brantley Albright Murdock Boswell Muller Quintero Padgett Kenney
Daly Connolly Pierre Inman Quintana Lund Barnard Villegas Simons Land Huggins Tidwell Sanderson Bullard
Mcclendon Duarte Draper Meredith Marrero Dwyer Abrams Stover Goode Fraser Crews Bernal Smiley Godwin Fish
Conklin Mcneal Baca Esparza Crowder Bower Nicholas Chung Brewster Mcneill Dick Rodrigues Leal Coates Raines
Mccain Mccord Miner Holbrook Swift Dukes Carlisle Aldridge Ackerman Starks Ricks Holliday Ferris Hairston
Sheffield Lange Fountain Marino Doss Betts Kaplan Carmichael Bloom Ruffin Penn Kern Bowles Sizemore Larkin
Dupree Jewell Silver Seals Metcalf Hutchison Henley Farr Castle Mccauley Hankins Gustafson Deal Curran Ash
Waddell Ramey Cates Pollock Major Irvin Cummins Messer Heller Dewitt Lin Funk Cornett Palacios Galindo Cano
Hathaway Singer Pham Enriquez Aaron Salgado Pelletier Painter Wiseman Blount Hand Feliciano Temple Houser
Doherty Mead Mcgraw Toney Swan Melvin Capps Blanco Blackmon Wesley Thomson Mcmanus Fair Burkett Post Gleason
Rudolph Ott Dickens Cormier Voss Rushing Rosenberg Hurd Dumas Benitez Arellano Story Marin Caudill Bragg
Jaramillo Huerta Gipson Colvin Biggs Vela Platt Cassidy Tompkins Mccollum Kay Gabriel Dolan Daley Crump
Street Sneed Kilgore Grove Grimm Davison Brunson Prater Marcum Devine Kyle Dodge Stratton Rosas Choi Tripp
Ledbetter Lay Hightower Haywood Feldman Epps Yeager Posey Sylvester Scruggs Cope Stubbs Richey Overton
Trotter Sprague Cordero Butcher Burger Stiles Burgos Woodson Horner Bassett Purcell Haskins Gee Akins
Abraham Hoyt Ziegler Spaulding Hadley Grubbs Sumner Murillo Zavala Shook Lockwood Jarrett Driscoll Dahl
Thorpe Sheridan Redmond Putnam Mcwilliams Mcrae Cornell Felton Romano Joiner Sadler Hedrick Hager Hagen
Fitch Coulter Thacker Mansfield Langston Guidry Ferreira Corley Conn Rossi Lackey Cody Baez Saenz Mcnamara
Darnell Michel Mcmullen Mckenna Mcdonough Link Engel Browne Roper Peacock Eubanks Drummond Stringer
Pritchett Parham Mims Landers Ham Grayson Stacy Schafer Egan Timmons Ohara Keen Hamlin Finn Cortes Mcnair
Louis Clifford Nadeau Moseley Michaud Rosen Oakes Kurtz Jeffers Calloway Beal Bautista Winn Suggs Stern
Stapleton Lyles Laird Montano Diamond Dawkins Roland Hagan Goldman Bryson Barajas Lovett Segura Metz Lockett
Langford Hinson Eastman Rock Hooks Woody Smallwood Shapiro Crowell Whalen Triplett Hooker Chatman Aldrich
Cahill Youngblood Ybarra Stallings Sheets Samuel Reeder Person Pack Lacey Connelly Bateman Abernathy Winkler
Wilkes Masters Hackett Granger Gillis Schmitz Sapp Napier Souza Lanier Gomes Weir Otero Ledford Burroughs
Babcock Ventura Siegel Dugan Clinton Christie Bledsoe Atwood Wray Varner Spangler Otto Anaya Staley Kraft
Fournier Eddy Belanger Wolff Thorne Bynum Burnette Boykin Swenson Purvis Pina Khan Duvall Darby Xiong
Kauffman Ali Yu Healy Engle Corona Benoit Valle Steiner Spicer Shaver Randle Lundy Dow Chin Calvert Staton
Neff Kearney Darden Oakley Medeiros Mccracken Crenshaw Block Beaver Perdue Dill Whittaker Tobin Cornelius
Washburn Hogue Goodrich Easley Bravo Dennison Vera Shipley Kerns Jorgensen Crain Abel Villalobos Maurer
Longoria Keene Coon Sierra Witherspoon Staples Pettit Kincaid Eason Madrid Echols Lusk Wu Stahl Currie
Thayer Shultz Sherwood Mcnally Seay North Maher Kenny Hope Gagne Barrow Nava Myles Moreland Honeycutt Hearn
Diggs Caron Whitten Westbrook Stovall Ragland Queen Munson Meier Looney Kimble Jolly Hobson London Goddard
Culver Burr Presley Negron Connell Tovar Marcus Huddleston Hammer Ashby Salter Root Pendleton Oleary
Nickerson Myrick Judd Jacobsen Elliot Bain Adair Starnes Sheldon Matos Light Busby Herndon Hanley Bellamy
Jack Doty Bartley Yazzie Rowell Parson Gifford Cullen Christiansen Benavides Barnhart Talbot Mock Crandall
Connors Bonds Whitt Gage Bergman Arredondo Addison Marion Lujan Dowdy Jernigan Huynh Bouchard Dutton Rhoades
Ouellette Kiser Rubin Herrington Hare Denny Blackman Babb Allred Rudd Paulson Ogden Koenig Jacob Irving
Geiger Begay Parra Champion Lassiter Hawk Esposito Cho Waldron Vernon Ransom Prather Keenan Jean Grover
Chacon Vick Sands Roark Parr Mayberry Greenberg Coley Bruner Whitman Skaggs Shipman Means Leary Hutton Romo
Medrano Ladd Kruse Friend Darling Askew Valentin Schulz Alfaro Tabor Mohr Gallo Bermudez Pereira Isaac Bliss
Reaves Flint Comer Boston Woodall Naquin Guevara Earl Delong Carrier Pickens Brand Tilley Schaffer Read Lim
Knutson Fenton Doran Chu Vogt Vann Prescott Mclain Landis Corcoran Ambrose Zapata Hyatt Hemphill Faulk Call
Dove Boudreaux Aragon Whitlock Trejo Tackett Shearer Saldana Hanks Gold Driver Mckinnon Koehler Champagne
Bourgeois Pool Keyes Goodson Foote Early Lunsford Goldsmith Flood Winslow Sams Reagan Mccloud Hough Esquivel
Naylor Loomis Coronado Ludwig Braswell Bearden Sherrill Huang Fagan Ezell Edmondson Cyr Cronin Nunn Lemon
Guillory Grier Dubose Traylor Ryder Dobbins Coyle Aponte Whitmore Smalls Rowan Malloy Cardona Braxton Borden
Humphries Carrasco Ruff Metzger Huntley Hinojosa Finney Madsen Hong Hills Ernst Dozier Burkhart Bowser
Peralta Daigle Whittington Sorenson Saucedo Roche Redding Loyd Fugate Avalos Waite Lind Huston Hay Benedict
Hawthorne Hamby Boyles Boles Regan Faust Crook Beam Barger Hinds Gallardo Elias Willoughby Willingham
Wilburn Eckert Busch Zepeda Worthington Tinsley Russ Li Hoff Hawley Carmona Varela Rector Newcomb Mallory
Kinsey Dube Whatley Strange Ragsdale Ivy Bernstein Becerra Yost Mattson Ly Felder Cheek Luke Handy Grossman
Gauthier Escobedo Braden Beckman Mott Hillman Gil Flaherty Dykes Doe Stockton Stearns Lofton Kitchen Coats
Cavazos Beavers Barrios Tang Parish Mosher Lincoln Cardwell Coles Burnham Weller Lemons Beebe Aguilera Ring
Parnell Harman Couture Alley Schumacher Redd Dobbs Blum Blalock Merchant Ennis Denson Cottrell Chester
Brannon Bagley Aviles Watt Sousa Rosenthal Rooney Dietz Blank Paquette Mcclelland Duff Velasco Lentz Grubb
Burrows Barbour Ulrich Shockley Rader German Beyer Mixon Layton Altman Alonzo Weathers Titus Stoner Squires
Shipp Priest Lipscomb Cutler Caballero Zimmer Willett Thurston Storey Medley Lyle Epperson Shah Mcmillian
Baggett Torrez Laws Hirsch Dent Corey Poirier Peachey Jacques Farrar Creech Barth Trimble France Dupre
Albrecht Sample Lawler Crisp Conroy Chadwick Wetzel Nesbitt Murry Jameson Wilhelm Patten Minton Matson
Kimbrough Iverson Guinn Gale Fortune Croft Toth Pulliam Nugent Newby Littlejohn Dias Canales Bernier Baron
Barney Singletary Renteria Pruett Mchugh Mabry Landrum Brower Weldon Stoddard Ruth Cagle Stjohn Scales
Kohler Kellogg Hopson Gant Tharp Gann Zeigler Pringle Hammons Fairchild Deaton Chavis Carnes Rowley Matlock
Libby Kearns Irizarry Carrington Starkey Pepper Lopes Jarrell Fay Craven Beverly Baum Spain Littlefield Linn
Humphreys Hook High Etheridge Cuellar Chastain Chance Bundy Speer Skelton Quiroz Pyle Portillo Ponder
Moulton Machado Liu Killian Hutson Hitchcock Ellsworth Dowling Cloud Burdick Spann Pedersen Levin Leggett
Hayward Hacker Dietrich Beaulieu Barksdale Wakefield Snowden Paris Briscoe Bowie Berman Ogle Mcgregor
Laughlin Helm Burden Wheatley Schreiber Pressley Parris Ng Alaniz Agee Urban Swann Snodgrass Schuster
Radford Monk Mattingly Main Lamar Harp Girard Cheney Yancey Wagoner Ridley Lombardo Lau Hudgins Gaskins
Duckworth Coe Coburn Willey Prado Newberry Magana Hammonds Elam Whipple Slade Serna Ojeda Liles Dorman Diehl
Angel Upton Reardon Michaels Kelsey Goetz Eller Bauman Baer Augustine Layne Hummel Brenner Amaya Adamson
Ornelas Dowell Cloutier Christy Castellanos Wing Wellman Saylor Orourke Moya Montalvo Kilpatrick Harley
Durbin Shell Oldham Kang Garvin Foss Branham Bartholomew Templeton Maguire Holton Alonso Rider Monahan
Mccormack Beaty Anders Streeter Nieto Nielson Moffett Lankford Keating Heck Gatlin Delatorre Callaway Adcock
Worrell Unger Robinette Nowak Jeter Brunner Ashton Steen Parrott Overstreet Nobles Montanez Luther Clevenger
Brinkley Trahan Quarles Pickering Pederson Jansen Grantham Gilchrist Crespo Aiken Schell Schaeffer Lorenz
Leyva Harms Dyson Wallis Pease Leavitt Hyman Cheng Cavanaugh Batts Warden Seaman Rockwell Quezada Paxton
Linder Houck Fontaine Durant Caruso Adler Pimentel Mize Lytle Donald Cleary Cason Acker Switzer Salmon
Isaacs Higginbotham Han Waterman Vandyke Stamper Sisk Shuler Riddick Redman Mcmahan Levesque Hatton Bronson
Bollinger Arnett Okeefe Gerber Gannon Farnsworth Baughman Silverman Satterfield Royal Mccrary Kowalski Joy
Grigsby Greco Cabral Trout Rinehart Mahon Linton Gooden Curley Baugh Wyman Weiner Schwab Schuler Morrissey
Mahan Coy Bunn Andrew Thrasher Spear Waggoner Shelley Robert Qualls Purdy Mcwhorter Mauldin Mark Jordon
Gilman Perryman Newsom Menard Martino Graf Billingsley Artis Simpkins Salisbury Quintanilla Gilliland Fraley
Foust Crouse Scarborough Ngo Grissom Fultz Rico Marlow Markham Madrigal Lawton Barfield Whiting Varney
Schwarz Huey Gooch Arce Wheat Truong Poulin Mackenzie Leone Hurtado Selby Gaither Fortner Culpepper Coughlin
Brinson Boudreau Barkley Bales Stepp Holm Tan Schilling Morrell Kahn Heaton Gamez Douglass Causey Brothers
Turpin Shanks Schrader Meek Isom Hardison Carranza Yanez Way Scroggins Schofield Runyon Ratcliff Murrell
Moeller Irby Currier Butterfield Yee Ralston Pullen Pinson Estep East Carbone Lance Hawks Ellington Casillas
Spurlock Sikes Motley Mccartney Kruger Isbell Houle Francisco Burk Bone Tomlin Shelby Quigley Neumann
Lovelace Fennell Colby Cheatham Bustamante Skidmore Hidalgo Forman Culp Bowens Betancourt Aquino Robb Rea
Milner Martel Gresham Wiles Ricketts Gavin Dowd Collazo Bostic Blakely Sherrod Power Kenyon Gandy Ebert
Deloach Cary Bull Allard Sauer Robins Olivares Gillette Chestnut Bourque Paine Lyman Hite Hauser Devore
Crawley Chapa Vu Tobias Talbert Poindexter Millard Meador Mcduffie Mattox Kraus Harkins Choate Bess Wren
Sledge Sanborn Outlaw Kinder Geary Cornwell Barclay Adam Abney Seward Rhoads Howland Fortier Easter Benner
Vines Tubbs Troutman Rapp Noe Mccurdy Harder Deluca Westmoreland South Havens Guajardo Ely Clary Seal Meehan
Herzog Guillen Ashcraft Waugh Renner Milam Jung Elrod Churchill Buford Breaux Bolin Asher Windham Tirado
Pemberton Nolen Noland Knott Emmons Cornish Christenson Brownlee Barbee Waldrop Pitt Olvera Lombardi Gruber
Gaffney Eggleston Banda Archuleta Still Slone Prewitt Pfeiffer Nettles Mena Mcadams Henning Gardiner
Cromwell Chisholm Burleson Box Vest Oglesby Mccarter Malcolm Lumpkin Larue Grey Wofford Vanhorn Thorn Teel
Swafford Stclair Stanfield Ocampo Herrmann Hannon Arsenault Roush Mcalister Hiatt Gunderson Forsythe Duggan
Delvalle Cintron Wilks Weinstein Uribe Rizzo Noyes Mclendon Gurley Bethea Winstead Maples Harry Guyton
Giordano Alderman Valdes Polanco Pappas Lively Grogan Griffiths Bobo Arevalo Whitson Sowell Rendon Matthew
Julian Fernandes Farrow Edmond Benavidez Ayres Alicea Stump Smalley Seitz Schulte Gilley Gallant Dewey
Casper Canfield Wolford Omalley Mcnutt Mcnulty Mcgovern Hardman Harbin Cowart Chavarria Brink Beckett
Bagwell Armstead Anglin Abreu Reynoso Krebs Jett Hoffmann Greenfield Forte Burney Broome Sisson Parent Jude
Younger Trammell Partridge Marvin Mace Lomax Lemieux Gossett Frantz Fogle Cooney Broughton Pence Paulsen
Neil Muncy Mcarthur Hollins Edward Beauchamp Withers Osorio Mulligan Hoyle Foy Dockery Cockrell Begley
Amador Roby Rains Lindquist Gentile Everhart Bohannon Wylie Thao Sommers Purnell Palma Fortin Dunning
Breeden Vail Phelan Phan Marx Cosby Colburn Chong Boling Biddle Ledesma Gaddis Denney Chow Bueno Berrios
Wicker Tolliver Thibodeaux Nagle Lavoie Fisk Do Crist Barbosa Reedy March Locklear Kolb Himes Behrens
Beckwith Beckham Weems Wahl Shorter Shackelford Rees Muse Free Cerda Valadez Thibodeau Saavedra Ridgeway
Reiter Mchenry Majors Lachance Keaton Israel Ferrara Falcon Clemens Blocker Applegate Paz Needham Mojica
Kuykendall Hamel Escamilla Doughty Burchett Ainsworth Wilbur Vidal Upchurch Thigpen Strauss Spruill Sowers
Riggins Ricker Mccombs Harlow Garnett Buffington Yi Sotelo Olivas Negrete Morey Macon Logsdon Lapointe
Florence Cathey Bigelow Müller Schmid Baumann Frei Zimmermann Widmer Wyss Suter Baumgartner Bachmann Studer
Kaufmann Bucher Hofmann Marti Kälin Egli Lehmann Sutter Christen Imhof Schnyder Zurbriggen Brändli Wenger
Gasser Kunz Stucki Lüthi Ammann Ackermann Bühler Flückiger Gisler Hug Jenni Lanz Locher Näf Rüegg Schär
Sommer Stalder Walser Wüthrich Zaugg Zbinden Zürcher Aebischer Blaser Bosshard Burri Eberle Fuchs Hürlimann
Iseli Jost Schäfer Schröder Krüger Hartmann Köhler Maier König Möller Friedrich Scholz Günther Nagy Kovács
Kovacs Tóth Szabó Szabo Horváth Horvath Varga Kiss Molnár Molnar Németh Nemeth Farkas Balogh Papp Takács
Takacs Juhász Juhasz Lakatos Mészáros Meszaros Oláh Olah Rácz Racz Fekete Szilágyi Szilagyi Török Torok
Fehér Feher Balázs Balazs Gál Gal Kis Szűcs Szucs Kocsis Orsós Pintér Pinter Fodor Szalai Sipos Magyar
Lukács Lukacs Gulyás Gulyas Bíró Biro Király Kiraly Katona László Laszlo Jakab Bogdán Bogdan Balog Sándor
Sandor Boros Fazekas Kelemen Antal Orosz Somogyi Fülöp Fulop Veres Budai Vincze Hegedűs Hegedus Deák Deak
Pap Bárány Barany Halász Halasz García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez
Martín Jiménez Hernández Díaz Muñoz Álvarez Gutiérrez Domínguez Vázquez Ramírez Suárez Marín Sanz Núñez
Iglesias Garrido Cortés Prieto Méndez Calvo Gallego León Márquez Peña Diez Pascual Herrero Montero Lorenzo
Giménez Gimenez Ibáñez Ibanez Ferrer Durán Benítez Quispe Mamani Ferrari Bianchi Colombo Ricci Conti Mancini
Zhang Zhao Zhou Kumar Sharma Yilmaz Kaya Demir Sahin Celik Hodzic Kovacevic Petrovic Jovanovic Wisniewski
Dvorak Horak
""".split()  # noqa: SIM905

# Nordic, French, Dutch, Irish, Polish, Turkish, Portuguese, Italian, Arabic, South Asian and Korean names,
# with their diacritics (and the plain spellings that records often use instead).
GIVEN_NAMES += """
Lars Anders Erik Nils Olof Johan Karl Sven Gustav Magnus Björn Bjorn Mikael Fredrik Henrik Jonas Mattias
Niklas Oskar Axel Emil Viktor Ole Jens Søren Soren Mads Rasmus Kasper Jesper Morten Bjarne Torben Poul Niels
Knut Arne Leif Rune Terje Trond Geir Svein Sigurd Håkon Haakon Tor Kjell Stig Göran Goran Åke Ake Bengt
Gunnar Ingvar Ulf Mats Jukka Mikko Juha Timo Kari Pekka Matti Antti Jari Heikki Ville Eero Jón Guðmundur
Sigrid Ingrid Astrid Freya Freja Frida Elin Karin Kerstin Birgitta Britt Solveig Sigrún Tove Annika
Ebba Maja Linnea Elsa Agneta Gunilla Margareta Ulla Malin Hanna Mette Pernille Birthe Kirsten Dorthe Signe
Maren Ragnhild Marit Hilde Bodil Inger Åsa Helga Aino Tuula Päivi Sari Riikka Johanna Mervi Sølvi
Étienne Etienne François Francois Françoise Thierry Didier Mathieu Luc Benoît Benoit Jacques Pierre
Philippe Alain Christophe Frédéric Frederic Olivier Laurent Nicolas Sébastien Sebastien Stéphane Stephane
Éric Patrice Pascal Guillaume Julien Jérôme Jerome Vincent Yves Gilles Hervé Herve Marcel René Rene André
Andre Michel Claude Gérard Gerard Maurice Raymond Henri Lucien Gaston Émile Xavier Cyril Loïc Loic Maxime
Romain Clément Clement Antoine Baptiste Quentin Théo Theo Léo Arthur Jules Raphaël Raphael Gabriel Noé
Timothée Aurélien Arnaud Fabrice Régis Thibault Nathalie Isabelle Sylvie Martine Valérie Sandrine Céline
Celine Stéphanie Véronique Veronique Chantal Brigitte Sophie Aurélie Aurelie Élodie Elodie Émilie Emilie
Camille Manon Léa Chloé Chloe Inès Clémence Mathilde Margaux Océane Amélie Amelie Juliette Justine Agathe
Geneviève Ghislaine Josiane Odette Solange Colette Hélène Helene Mireille Murielle Béatrice Delphine
Virginie Laetitia Séverine Noémie Anaïs Mélanie Corinne Dominique Claudine Gaëlle Maëlle Sébastienne
Pieter Henk Kees Willem Johannes Hendrik Cornelis Gerrit Dirk Joost Bram Sander Joris Maarten Ruud Bart
Sjoerd Thijs Gijs Wouter Jeroen Arjen Ruben Daan Koen Stijn Wim Gert Geert Frits Huub Teun Jop Floris
Rik Marijke Mieke Lotte Anneke Ineke Annelies Femke Sanne Fleur Ilse Lieke Marloes Saskia Anouk Noor
Tess Roos Marieke Hanneke Geertje Jannie Truus Fenna Lisanne Maartje Greet Henny Loes Inge Jantje Willemijn
Aoife Niamh Siobhán Siobhan Saoirse Ciara Caoimhe Orla Sinéad Sinead Róisín Roisin Aisling Clodagh Gráinne
Grainne Eimear Deirdre Máire Nuala Bríd Sorcha Méabh Éabha Oisín Oisin Cian Eoin Seán Darragh Cillian
Ciarán Ciaran Pádraig Padraig Niall Diarmuid Donal Dónal Fergal Colm Tadhg Ruairí Cathal Rónán Ronan Senan
Fionn Declan Liam Aidan Eamon Éamon Eamonn Aoibheann Bláthnaid Fiadh Orlaith
Piotr Krzysztof Andrzej Tomasz Paweł Pawel Michał Michal Marcin Jakub Łukasz Lukasz Grzegorz Wojciech
Mariusz Dariusz Marek Zbigniew Jerzy Tadeusz Kazimierz Stanisław Stanislaw Janusz Ryszard Mieczysław Bogdan
Kamil Mateusz Bartosz Szymon Wiktor Agnieszka Małgorzata Malgorzata Katarzyna Magdalena Elżbieta Elzbieta
Krystyna Zofia Jadwiga Danuta Halina Beata Dorota Aleksandra Justyna Wiesława Grażyna Grazyna Bożena Bozena
Urszula Iwona Jolanta Karolina Weronika Zuzanna Wiktoria Ewa
Mustafa Ahmet Hüseyin Huseyin İbrahim Ibrahim İsmail Ismail Osman Murat Ömer Omer Ramazan Halil Süleyman
Suleyman Abdullah Mahmut Recep Emre Burak Kemal Serkan Onur Barış Baris Volkan Tolga Oğuz Oguz Hakan
Erkan Ercan Kadir Yasin Enes Furkan Kerem Arda Berk Emir Fatma Ayşe Hatice Zeynep Elif Meryem Şerife Zehra
Hanife Merve Özlem Ozlem Esra Büşra Busra Yasemin Gülsüm Dilek Sevgi Derya Ebru Aylin Selin Deniz Defne
Ceren Gizem Tuğba Tugba Songül Nurcan Hülya Hulya Emel Gül
João Joao António Manuel Francisco Luís Luis Pedro Paulo Rui Nuno Tiago Diogo Gonçalo Goncalo Duarte Afonso
Tomás Tomas Ricardo Fernando Jorge Vasco Hugo Sérgio Sergio Vítor Vitor Miguel Beatriz Mariana Leonor
Matilde Carolina Margarida Francisca Catarina Joana Sofia Filipa Conceição Fátima Fatima Graça Lurdes
Rosário Luísa Luisa Helena Cláudia Patrícia Raquel Susana Tânia Vânia Daniela Adriana Gabriela Letícia
Thiago Rafael Felipe Guilherme Mateus Gonçalves
Francesco Marco Andrea Stefano Davide Simone Lorenzo Riccardo Fabio Massimo Roberto Salvatore Antonio
Vincenzo Gianluca Giorgio Alberto Alessia Francesca Martina Elena Silvia Federica Roberta Paola Giorgia
Alessandra Serena Elisa Simona Giovanna Antonella Carla Ilaria Beatrice Rosaria Concetta
Layla Leila Aisha Fatima Omar Khalid Karim Nadia Samir Yasmin Rania Hassan Tariq Youssef Amira Hamza Bilal
Rajesh Sanjay Anil Sunil Ravi Vikram Arjun Deepak Amit Anjali Pooja Neha Sunita Lakshmi Meera Kavita Sanjeev
Fiona Eilidh Morag Isla Ailsa Kirsty Shona Mhairi Catriona Callum Euan Ewan Hamish Angus Alasdair Alastair
Lachlan Ruaridh Seamus Rhys Cerys Siân Sian Bethan Dafydd Iwan Owain Gethin Carys Ffion Eleri
Ji-woo Min-jun Seo-yeon Ji-ho Ha-eun Seo-jun Ji-hoon Min-seo Hyun-woo Eun-ji Sung-min Jae-won
""".split()  # noqa: SIM905

SURNAMES += """
Nilsson Eriksson Larsson Karlsson Johansson Andersson Persson Svensson Gustafsson Pettersson Jonsson Olsson
Lindqvist Lindberg Lindström Lindstrom Bergström Bergstrom Lundberg Lundgren Holm Hansen Jensen Nielsen
Pedersen Rasmussen Jørgensen Jorgensen Sørensen Sorensen Kristensen Christensen Madsen Mortensen Olsen
Johansen Larsen Andreassen Halvorsen Haugen Bakken Virtanen Korhonen Mäkinen Makinen Nieminen Mäkelä
Hämäläinen Laine Heikkinen Koskinen Järvinen Jarvinen Lehtonen Jónsson Sigurðsson Magnusson Ström Sandberg
Engström Engstrom Forsberg Sjöberg Sjoberg Wallin Björk Bjork Hedlund Åberg Öberg Ekström Dahl Lindholm
Söderberg Nyström Axelsson Berglund Hedberg Sundberg Holmberg Lindgren Jakobsen Thomsen Poulsen Frederiksen
Dupont Laurent Lefèvre Lefevre Lefebvre Moreau Dubois Durand Leroy Fournier Girard Bonnet Mercier Guérin
Guerin Boyer Garnier Chevalier Faure Legrand Gauthier Perrin Clément Morin Rousseau Mathieu Gautier Masson
Marchand Duval Dumont Lemaire Noël Dufour Meunier Blanchard Giraud Joly Rivière Riviere Brunet Gaillard
Barbier Arnaud Gérard Renard Leroux Vidal Caron Picard Fabre Aubert Lemoine Renaud Dumas Lacroix Bourgeois
Benoît Leclerc Rolland Leclercq Lecomte Dupuis Guillot Hubert Carpentier Dupuy Deschamps Huet Vasseur
Fleury Royer Jacquet Poirier Aubry Guyot Carré Charpentier Ménard Maillard Bertin Bailly Hervé Collet Léger
Bouvier Prévost Perrot Langlois Rémy Pelletier Lévêque Perrier Leblanc Lebrun Marchal Michaud Guichard
Gillet Poulain Tessier Chauvin Bouchet Lemaître Bénard Maréchal Humbert Reynaud Perret Barthélemy Cordier
Pichon Lejeune Delaunay Pasquier Carlier Laporte Thibault Fontaine Lambert Bertrand Rousset Delacroix
Jong Vries Dijk Groot Graaf Meer Linden Haan Heuvel Veen Broek Bruijn Bruin Heijden Beek Vliet Dam Wal
Jonge Brink Wijk Loon Velde Dongen Laan Velden Doorn Bosch Meulen Horst Pol Leeuw Boer Leeuwen Bakker
Janssen Visser Smit Meijer Mulder Bos Vos Hendriks Dekker Brouwer Dijkstra Smits Kok Vermeulen Schouten
Willems Hoekstra Verhoeven Koster Prins Blom Huisman Peeters Kuipers Kuiper Veenstra Scholten Postma
Martens Timmermans Gerritsen Jonker Willemsen Smeets Schipper Koning Driessen Hermans Evers Hofman Bosman
Wolters Kuijpers Molenaar Verbeek Jansen Mertens Claes Wouters Goossens Maes Jacobs Vandenberghe
Sullivan O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle McCarthy Gallagher Doherty
O'Doherty Kennedy Lynch Murray Quinn McLoughlin O'Carroll Connolly Daly O'Connell Dunne Brennan Burke
Collins Clarke Johnston Hughes O'Farrell Fitzgerald Maguire Nolan Flynn O'Callaghan O'Donnell Duffy
O'Mahony Boyle Healy O'Shea Sweeney Kavanagh McGrath Moran Brady Casey Fitzpatrick O'Leary McDonnell
MacMahon McMahon Donnelly Regan Donovan Flanagan Mullan Kane Cunningham Griffin Kenny Sheehan Whelan Cullen
Keane Maher McKenna Hogan O'Keeffe Magee McNamara McDonald MacDonald McDermott Moloney O'Rourke Buckley
O'Dwyer Ashworth
Nowak Kowalski Kowalska Wiśniewski Wisniewski Wiśniewska Wójcik Wojcik Kowalczyk Kamiński Kaminski Kamińska
Lewandowski Lewandowska Zieliński Zielinski Zielińska Szymański Szymanski Woźniak Wozniak Dąbrowski
Dabrowski Dąbrowska Kozłowski Kozlowski Jankowski Mazur Wojciechowski Kwiatkowski Kwiatkowska Krawczyk
Kaczmarek Piotrowski Grabowski Zając Zajac Pawłowski Michalski Król Krol Wieczorek Jabłoński Jablonski
Wróbel Wrobel Nowakowski Majewski Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak
Górski Gorski Witkowski Walczak Sikora Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak Zalewski
Yılmaz Kaya Şahin Çelik Yıldız Yildiz Yıldırım Yildirim Öztürk Ozturk Aydın Aydin Özdemir Ozdemir Arslan
Doğan Dogan Kılıç Kilic Aslan Çetin Cetin Koç Koc Özkan Ozkan Şimşek Simsek Polat Özcan Ozcan Korkmaz
Çakır Cakir Erdoğan Erdogan Yavuz Acar Aktaş Aktas Güler Guler Yalçın Yalcin Güneş Gunes Bozkurt Bulut
Keskin Ünal Unal Turan Özer Ozer Işık Isik Kaplan Avcı Avci Tekin Köse Kose Yüksel Yuksel Ateş Aksoy
Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes Gonçalves Goncalves Gomes
Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira Moreira Correia Mendes Nunes Soares Vieira
Monteiro Cardoso Rocha Neves Coelho Cunha Pires Antunes Matos Fonseca Machado Araújo Araujo Barbosa Tavares
Lourenço Lourenco Figueiredo Azevedo Freitas Magalhães Magalhaes Baptista Batista Barros Pinheiro Miranda
Sampaio Brandão Brandao Simões Simoes Conceição
Marino Greco Gallo Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara
Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola Esposito Romano Russo Stefano
Luca Ricci Marchetti Bruno Rossi Bellini Sartori Pellegrini Palumbo Sanna Fabbri Orlando
Haddad Nasser Khoury Hussein Rahman Khan Iyer Nair Patel Gupta Reddy Rao Singh Shah Mehta Joshi Menon
Pillai Choi Jung Kang Cho Yoon Jang Han Mansour Saleh Hamdan Aziz Chaudhry Malik Qureshi Banerjee
""".split()  # noqa: SIM905
